/**
 * End to end: the real helm 3 against `kts server --disable-agent`: the chart of `helm create`
 * installed, listed, upgraded, rolled back and uninstalled, and rendered by `helm template` for
 * `kubectl apply`. Each step is checked through kubectl: the objects helm manages (Deployment,
 * Service, ServiceAccount) and its release Secrets `sh.helm.release.v1.<name>.v<N>`. No kubelet
 * runs yet, so nothing waits for pods (no --wait).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { useKtsServer } from '../support/e2e.js';
import { HELM_BINARY } from '../support/kubectl.js';

interface HelmResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface ReleaseSecret {
  type: string;
  metadata: { name: string; labels: Record<string, string> };
  data: { release: string };
}

describe('helm 3 against kts server', () => {
  const cluster = useKtsServer();
  const { ok } = cluster;
  let dir = '';

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-e2e-helm-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs helm in the temp dir, with its cache, config and data there too (nothing in ~). */
  const helm = (args: string[]): Promise<HelmResult> =>
    new Promise((resolve, reject) => {
      const proc = spawn(HELM_BINARY, args, {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          KUBECONFIG: cluster.server.kubeconfig,
          HELM_CACHE_HOME: path.join(dir, '.helm', 'cache'),
          HELM_CONFIG_HOME: path.join(dir, '.helm', 'config'),
          HELM_DATA_HOME: path.join(dir, '.helm', 'data'),
        },
      });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      proc.on('error', reject);
      proc.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  /** Runs helm, fails the test unless it succeeds; resolves to its stdout. */
  const helmOk = async (args: string[]): Promise<string> => {
    const result = await helm(args);
    assert.equal(result.code, 0, `helm ${args.join(' ')} failed:\n${result.stderr}\n--- server log ---\n${cluster.server.log().slice(-3000)}`);
    return result.stdout;
  };
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await ok([...args, '-o', 'json'])) as T;
  const releaseSecrets = async (): Promise<ReleaseSecret[]> =>
    (await json<{ items: ReleaseSecret[] }>(['get', 'secrets', '-l', 'owner=helm,name=demo'])).items.sort((a, b) =>
      a.metadata.name.localeCompare(b.metadata.name),
    );
  /** What `helm history -o json` tells of each revision. */
  const history = async (): Promise<{ revision: number; status: string; description: string }[]> =>
    JSON.parse(await helmOk(['history', 'demo', '-o', 'json'])) as { revision: number; status: string; description: string }[];

  test('helm create makes a chart that lints', async () => {
    assert.match(await helmOk(['create', 'demo']), /Creating demo/);
    assert.ok(fs.existsSync(path.join(dir, 'demo', 'templates', 'deployment.yaml')));
    await helmOk(['lint', './demo']);
  });

  test('helm install creates the objects and the release Secret v1', async () => {
    const out = await helmOk(['install', 'demo', './demo']);
    assert.match(out, /^NAME: demo$/m);
    assert.match(out, /^STATUS: deployed$/m);
    assert.match(out, /^REVISION: 1$/m);

    const list = JSON.parse(await helmOk(['list', '-o', 'json'])) as { name: string; namespace: string; revision: string; status: string; chart: string }[];
    assert.deepEqual(
      list.map((r) => [r.name, r.namespace, r.revision, r.status, r.chart]),
      [['demo', 'default', '1', 'deployed', 'demo-0.1.0']],
    );
    assert.match(await helmOk(['list']), /^demo\s+default\s+1\s+.*\bdeployed\s+demo-0\.1\.0\s+1\.16\.0\s*$/m);

    const deploy = await json<{
      metadata: { labels: Record<string, string>; annotations: Record<string, string>; generation: number };
      spec: { replicas: number; template: { spec: { serviceAccountName: string; containers: { image: string }[] } } };
    }>(['get', 'deployment', 'demo']);
    assert.equal(deploy.spec.replicas, 1);
    assert.equal(deploy.metadata.generation, 1);
    assert.equal(deploy.metadata.labels['app.kubernetes.io/managed-by'], 'Helm');
    assert.equal(deploy.metadata.annotations['meta.helm.sh/release-name'], 'demo');
    assert.equal(deploy.metadata.annotations['meta.helm.sh/release-namespace'], 'default');
    assert.equal(deploy.spec.template.spec.serviceAccountName, 'demo');
    assert.equal(deploy.spec.template.spec.containers[0]?.image, 'nginx:1.16.0');
    const svc = await json<{ spec: { type: string; clusterIP: string; ports: { port: number; targetPort: string }[] } }>(['get', 'service', 'demo']);
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.match(svc.spec.clusterIP, /^10\.\d+\.\d+\.\d+$/);
    assert.deepEqual(svc.spec.ports.map((p) => [p.port, p.targetPort]), [[80, 'http']]);
    assert.match(await ok(['get', 'serviceaccount', 'demo', '-o', 'name']), /^serviceaccount\/demo$/m);

    const secrets = await releaseSecrets();
    assert.deepEqual(secrets.map((s) => s.metadata.name), ['sh.helm.release.v1.demo.v1']);
    assert.equal(secrets[0]?.type, 'helm.sh/release.v1');
    assert.equal(secrets[0]?.metadata.labels.status, 'deployed');
    assert.equal(secrets[0]?.metadata.labels.version, '1');
    assert.ok((secrets[0]?.data.release.length ?? 0) > 100, 'the release is stored, gzipped and base64-encoded');

    assert.match(await helmOk(['status', 'demo']), /^STATUS: deployed$/m);
    const manifest = await helmOk(['get', 'manifest', 'demo']);
    assert.match(manifest, /^kind: Deployment$/m);
    assert.match(manifest, /^kind: ServiceAccount$/m);
  });

  test('a second install under the same name is refused', async () => {
    const again = await helm(['install', 'demo', './demo']);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /cannot re-use a name that is still in use/);
  });

  test('helm upgrade patches the Deployment and writes revision 2', async () => {
    const out = await helmOk(['upgrade', 'demo', './demo', '--set', 'replicaCount=2']);
    assert.match(out, /Release "demo" has been upgraded/);
    assert.match(out, /^REVISION: 2$/m);
    assert.equal(await ok(['get', 'deployment', 'demo', '-o', 'jsonpath={.spec.replicas}']), '2');
    assert.equal(await ok(['get', 'deployment', 'demo', '-o', 'jsonpath={.metadata.generation}']), '2');
    const secrets = await releaseSecrets();
    assert.deepEqual(
      secrets.map((s) => [s.metadata.name, s.metadata.labels.status]),
      [
        ['sh.helm.release.v1.demo.v1', 'superseded'],
        ['sh.helm.release.v1.demo.v2', 'deployed'],
      ],
    );
    assert.deepEqual(JSON.parse(await helmOk(['get', 'values', 'demo', '-o', 'json'])), { replicaCount: 2 });
  });

  test('helm history shows two revisions', async () => {
    assert.deepEqual(
      (await history()).map((r) => [r.revision, r.status, r.description]),
      [
        [1, 'superseded', 'Install complete'],
        [2, 'deployed', 'Upgrade complete'],
      ],
    );
    assert.match(await helmOk(['history', 'demo']), /^REVISION\s+UPDATED\s+STATUS\s+CHART\s+APP VERSION\s+DESCRIPTION\s*\n1\s.*\n2\s.*\n$/);
  });

  test('helm rollback to 1 writes revision 3 and patches the replicas back', async () => {
    assert.match(await helmOk(['rollback', 'demo', '1']), /Rollback was a success/);
    assert.equal(await ok(['get', 'deployment', 'demo', '-o', 'jsonpath={.spec.replicas}']), '1');
    assert.equal(await ok(['get', 'deployment', 'demo', '-o', 'jsonpath={.metadata.generation}']), '3');
    assert.deepEqual(
      (await history()).map((r) => [r.revision, r.status, r.description]),
      [
        [1, 'superseded', 'Install complete'],
        [2, 'superseded', 'Upgrade complete'],
        [3, 'deployed', 'Rollback to 1'],
      ],
    );
    const secrets = await releaseSecrets();
    assert.deepEqual(
      secrets.map((s) => [s.metadata.name, s.metadata.labels.status, s.metadata.labels.version]),
      [
        ['sh.helm.release.v1.demo.v1', 'superseded', '1'],
        ['sh.helm.release.v1.demo.v2', 'superseded', '2'],
        ['sh.helm.release.v1.demo.v3', 'deployed', '3'],
      ],
    );
    assert.deepEqual(JSON.parse(await helmOk(['get', 'values', 'demo', '-o', 'json'])), null);
  });

  test('an upgrade that drops a template deletes its object, one that adds a template creates it', async () => {
    await helmOk(['upgrade', 'demo', './demo', '--set', 'serviceAccount.create=false', '--set', 'ingress.enabled=true']);
    const sa = await cluster.kubectl(['get', 'serviceaccount', 'demo']);
    assert.match(sa.stderr, /NotFound/);
    assert.equal(await ok(['get', 'ingress', 'demo', '-o', 'jsonpath={.spec.rules[0].host}']), 'chart-example.local');
    assert.equal(await ok(['get', 'deployment', 'demo', '-o', 'jsonpath={.spec.template.spec.serviceAccountName}']), 'default');
    assert.equal((await history()).at(-1)?.revision, 4);
  });

  test('a release does not adopt objects that another release owns', async () => {
    const other = await helm(['install', 'other', './demo', '--set', 'fullnameOverride=demo']);
    assert.notEqual(other.code, 0);
    assert.match(other.stderr, /invalid ownership metadata; annotation validation error: key "meta.helm.sh\/release-name" must equal "other": current value is "demo"/);
    assert.equal((await releaseSecrets()).length, 4, 'the failed release other is not stored under demo');
  });

  test('helm uninstall deletes the objects and the release Secrets', async () => {
    assert.match(await helmOk(['uninstall', 'demo']), /release "demo" uninstalled/);
    for (const kind of ['deployment', 'service', 'ingress']) {
      const got = await cluster.kubectl(['get', kind, 'demo']);
      assert.notEqual(got.code, 0, `${kind} demo is still there`);
      assert.match(got.stderr, /NotFound/);
    }
    assert.deepEqual(await releaseSecrets(), []);
    assert.deepEqual(JSON.parse(await helmOk(['list', '--all', '-o', 'json'])), []);
    const status = await helm(['status', 'demo']);
    assert.notEqual(status.code, 0);
    assert.match(status.stderr, /release: not found/);
  });

  test('helm template piped into kubectl apply, applied again unchanged, then deleted', async () => {
    await ok(['create', 'namespace', 'tpl']);
    const rendered = await helmOk(['template', 'web', './demo', '--namespace', 'tpl', '--set', 'replicaCount=3']);
    assert.match(rendered, /^kind: Deployment$/m);
    const applied = await ok(['apply', '-n', 'tpl', '-f', '-'], rendered);
    assert.match(applied, /^serviceaccount\/web-demo created$/m);
    assert.match(applied, /^service\/web-demo created$/m);
    assert.match(applied, /^deployment.apps\/web-demo created$/m);
    // The chart's test hook is only a Pod to kubectl; with no kubelet it stays Pending.
    assert.match(applied, /^pod\/web-demo-test-connection created$/m);
    assert.equal(await ok(['get', 'deployment', 'web-demo', '-n', 'tpl', '-o', 'jsonpath={.spec.replicas}']), '3');
    assert.equal(await ok(['get', 'pod', 'web-demo-test-connection', '-n', 'tpl', '-o', 'jsonpath={.status.phase}']), 'Pending');

    const again = await ok(['apply', '-n', 'tpl', '-f', '-'], rendered);
    assert.match(again, /^deployment.apps\/web-demo unchanged$/m);
    assert.match(again, /^service\/web-demo unchanged$/m);

    const scaled = await helmOk(['template', 'web', './demo', '--namespace', 'tpl', '--set', 'replicaCount=1']);
    assert.match(await ok(['apply', '-n', 'tpl', '-f', '-'], scaled), /^deployment.apps\/web-demo configured$/m);
    assert.equal(await ok(['get', 'deployment', 'web-demo', '-n', 'tpl', '-o', 'jsonpath={.spec.replicas}']), '1');

    const deleted = await ok(['delete', '-n', 'tpl', '-f', '-'], scaled);
    assert.match(deleted, /deployment.apps "web-demo" deleted/);
    assert.equal(await ok(['get', 'deployments,services,serviceaccounts', '-n', 'tpl', '-l', 'app.kubernetes.io/instance=web', '-o', 'name']), '');
  });
});
