/**
 * End to end: kubectl's write commands against `kts server --disable-agent`: create/apply/delete
 * -f with single- and multi-document YAML, apply twice, label/annotate, edit, patch of every
 * kind, server-side apply with a conflict and --force-conflicts, run, expose, delete with
 * --grace-period=0 --force, watch, and the messages for invalid objects.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { useKtsServer } from '../support/e2e.js';

describe('kubectl writes against kts server', () => {
  const cluster = useKtsServer();
  const { ok, fails } = cluster;
  let dir: string;



  function file(name: string, text: string): string {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  }

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-e2e-files-'));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('create, apply twice and delete -f with a multi-document file', async () => {
    const manifest = file(
      'multi.yaml',
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: multi-a
data:
  k: "1"
---
apiVersion: v1
kind: Secret
metadata:
  name: multi-b
stringData:
  password: s3cret
---
apiVersion: v1
kind: Service
metadata:
  name: multi-c
spec:
  selector: {app: multi}
  ports:
  - port: 80
    targetPort: 8080
`,
    );
    assert.match(await ok(['create', '-f', manifest]), /configmap\/multi-a created\nsecret\/multi-b created\nservice\/multi-c created/);
    const svc = JSON.parse(await ok(['get', 'svc', 'multi-c', '-o', 'json'])) as {
      spec: { clusterIP: string; type: string; sessionAffinity: string; ports: { targetPort: number; protocol: string }[] };
    };
    assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|1[01][0-9])\.\d+\.\d+$/, 'a ClusterIP from 10.96.0.0/12');
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.equal(svc.spec.sessionAffinity, 'None');
    assert.equal(svc.spec.ports[0]?.protocol, 'TCP');
    const secret = JSON.parse(await ok(['get', 'secret', 'multi-b', '-o', 'json'])) as { type: string; data: { password: string } };
    assert.equal(secret.type, 'Opaque');
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 's3cret');

    assert.match(await ok(['apply', '-f', manifest]), /configmap\/multi-a configured/);
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('k: "1"', 'k: "2"'));
    // stringData is write-only, so kubectl re-sends it and says "configured", as on Kubernetes.
    assert.match(await ok(['apply', '-f', manifest]), /configmap\/multi-a configured\nsecret\/multi-b (configured|unchanged)\nservice\/multi-c unchanged/);
    assert.equal(await ok(['get', 'cm', 'multi-a', '-o', 'jsonpath={.data.k}']), '2');
    assert.match(await ok(['delete', '-f', manifest]), /configmap "multi-a" deleted\nsecret "multi-b" deleted\nservice "multi-c" deleted/);
    assert.match(await fails(['get', 'cm', 'multi-a']), /NotFound/);
  });

  test('label, annotate, and the three patch kinds', async () => {
    await ok(['create', 'configmap', 'patchme', '--from-literal=a=1']);
    await ok(['label', 'cm', 'patchme', 'tier=web', 'env=prod']);
    await ok(['label', 'cm', 'patchme', 'tier=db', '--overwrite']);
    await ok(['label', 'cm', 'patchme', 'env-']);
    await ok(['annotate', 'cm', 'patchme', 'owner=team-a']);
    const labels = JSON.parse(await ok(['get', 'cm', 'patchme', '-o', 'jsonpath={.metadata.labels}'])) as Record<string, string>;
    assert.deepEqual(labels, { tier: 'db' });
    assert.equal(await ok(['get', 'cm', '-l', 'tier in (db,cache)', '-o', 'name']), 'configmap/patchme\n');
    assert.equal(await ok(['get', 'cm', '-l', 'tier!=web,!env', '-o', 'name']), 'configmap/patchme\n');
    assert.equal(await ok(['get', 'cm', '-l', 'tier notin (db)', '-o', 'name']), '');

    await ok(['patch', 'cm', 'patchme', '-p', '{"data":{"b":"2"}}']);
    await ok(['patch', 'cm', 'patchme', '--type=merge', '-p', '{"data":{"a":null}}']);
    await ok(['patch', 'cm', 'patchme', '--type=json', '-p', '[{"op":"add","path":"/data/c","value":"3"}]']);
    assert.deepEqual(JSON.parse(await ok(['get', 'cm', 'patchme', '-o', 'jsonpath={.data}'])), { b: '2', c: '3' });
    const failed = await fails(['patch', 'cm', 'patchme', '--type=json', '-p', '[{"op":"test","path":"/data/b","value":"nope"}]']);
    assert.match(failed, /UnprocessableEntity|Invalid|rejected/);
  });

  test('edit with KUBE_EDITOR', async () => {
    await ok(['create', 'configmap', 'editme', '--from-literal=color=red']);
    const editor = file('editor.sh', '#!/bin/sh\nsed -i "s/color: red/color: blue/" "$1"\n');
    fs.chmodSync(editor, 0o755);
    assert.match(await ok(['edit', 'cm', 'editme'], undefined, { KUBE_EDITOR: editor, EDITOR: editor }), /configmap\/editme edited/);
    assert.equal(await ok(['get', 'cm', 'editme', '-o', 'jsonpath={.data.color}']), 'blue');
  });

  test('server-side apply: conflicts, then --force-conflicts', async () => {
    const manifest = file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n');
    assert.match(await ok(['apply', '--server-side', '-f', manifest]), /configmap\/ssa serverside-applied/);
    await ok(['patch', 'cm', 'ssa', '--type=merge', '-p', '{"data":{"a":"2"}}', '--field-manager=someone-else']);
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('"1"', '"3"'));
    assert.match(await fails(['apply', '--server-side', '-f', manifest]), /Apply failed with 1 conflict: conflict with "someone-else"/);
    await ok(['apply', '--server-side', '--force-conflicts', '-f', manifest]);
    assert.equal(await ok(['get', 'cm', 'ssa', '-o', 'jsonpath={.data.a}']), '3');
  });

  test('run a pod, see its defaults, and force-delete it', async () => {
    assert.match(await ok(['run', 'web', '--image=busybox:1.36', '--', 'sleep', '3600']), /pod\/web created/);
    const pod = JSON.parse(await ok(['get', 'pod', 'web', '-o', 'json'])) as {
      spec: { restartPolicy: string; dnsPolicy: string; schedulerName: string; terminationGracePeriodSeconds: number; containers: { imagePullPolicy: string }[] };
      status: { phase: string };
    };
    assert.equal(pod.spec.restartPolicy, 'Always');
    assert.equal(pod.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(pod.spec.schedulerName, 'default-scheduler');
    assert.equal(pod.spec.terminationGracePeriodSeconds, 30);
    assert.equal(pod.spec.containers[0]?.imagePullPolicy, 'IfNotPresent');
    assert.equal(pod.status.phase, 'Pending');
    assert.match(await ok(['get', 'pods', '-o', 'wide']), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\nweb\s+0\/1\s+Pending\s+0\s+\d+s\s+<none>\s+<none>\s+<none>\s+<none>\n$/);
    assert.match(await ok(['get', 'pods', '--field-selector', 'status.phase=Pending', '-o', 'name']), /pod\/web/);
    assert.match(await fails(['exec', 'web', '--', 'true']), /pod web does not have a host assigned/);
    const deleted = await cluster.kubectl(['delete', 'pod', 'web', '--grace-period=0', '--force']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stdout, /pod "web" force deleted/);
    assert.match(await fails(['get', 'pod', 'web']), /NotFound/);
  });

  test('get -w streams changes', async () => {
    await ok(['create', 'configmap', 'watched', '--from-literal=a=1']);
    const watcher = cluster.kubectl(['get', 'cm', 'watched', '-w', '--request-timeout=4s']);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await ok(['label', 'cm', 'watched', 'seen=yes']);
    await ok(['delete', 'cm', 'watched']);
    const result = await watcher;
    const rows = result.stdout.trim().split('\n').filter((l) => l.startsWith('watched'));
    assert.ok(rows.length >= 2, `watch printed:\n${result.stdout}\n${result.stderr}`);
  });

  test('invalid objects get 422 with the field named', async () => {
    const bad = file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n');
    assert.match(
      await fails(['create', '-f', bad]),
      /The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/,
    );
    const unknown = file('unknown.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\ndatta:\n  a: "1"\n');
    assert.match(await fails(['create', '-f', unknown]), /strict decoding error: unknown field "datta"/);
    const svc = file('svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: badsvc\nspec:\n  clusterIP: 1.2.3.4\n  ports:\n  - port: 80\n');
    assert.match(await fails(['create', '-f', svc]), /provided IP is not in the valid range/);
    assert.match(await fails(['get', 'cm', '-l', 'a in (b']), /unable to parse requirement|found '', expected/);
  });
});
