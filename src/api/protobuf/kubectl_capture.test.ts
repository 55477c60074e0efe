/**
 * Real bodies from the real kubectl: a small HTTP server records what `kubectl create ...` POSTs
 * (protobuf, since client-go 1.31), and the decoded object must equal what the same command
 * prints with `--dry-run=client -o json`. Skipped when kubectl is not installed.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { decodeObject } from '../../apiserver/http_io.js';
import { decodeProtobufObject } from './decode.js';
import { RICH_POD } from './rich_pod_fixture.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

/** Just enough discovery for `kubectl create role` to resolve `--resource=pods`. */
const DISCOVERY: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [
      {
        name: 'rbac.authorization.k8s.io',
        versions: [{ groupVersion: 'rbac.authorization.k8s.io/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'rbac.authorization.k8s.io/v1', version: 'v1' },
      },
    ],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'get', 'list'] }],
  },
  '/apis/rbac.authorization.k8s.io/v1': {
    kind: 'APIResourceList',
    groupVersion: 'rbac.authorization.k8s.io/v1',
    resources: [{ name: 'roles', singularName: 'role', namespaced: true, kind: 'Role', verbs: ['create', 'get', 'list'] }],
  },
};

interface Captured {
  contentType: string;
  body: Buffer;
}

function writeJson(res: ServerResponse, code: number, value: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
}

describe('protobuf bodies sent by kubectl', { skip: existsSync(KUBECTL) ? false : 'kubectl is not installed' }, () => {
  let server: Server;
  let dir: string;
  let kubeconfig: string;
  let captured: Captured[] = [];

  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (req.method === 'POST') {
          captured.push({ contentType: req.headers['content-type'] ?? '', body });
          // Echo the decoded object back, as an API server would answer a create.
          try {
            writeJson(res, 201, decodeProtobufObject(body));
          } catch (err) {
            writeJson(res, 500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, message: String(err) });
          }
          return;
        }
        if (path === '/api/v1/namespaces/default/pods/rich') return writeJson(res, 200, RICH_POD);
        const doc = DISCOVERY[path];
        if (doc) writeJson(res, 200, doc);
        else writeJson(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, reason: 'NotFound' });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    dir = await mkdtemp(join(tmpdir(), 'kts-protobuf-'));
    kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: c, cluster: {server: "http://127.0.0.1:' + String(port) + '"}}]',
        'users: [{name: u, user: {}}]',
        'contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]',
        'current-context: x',
        '',
      ].join('\n'),
    );
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  async function kubectl(args: string[]): Promise<string> {
    const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: dir };
    const { stdout } = await run(KUBECTL, args, { env, timeout: 30_000 });
    return stdout;
  }

  /** The body `kubectl create <args>` POSTs, decoded as the API server decodes it. */
  async function sent(args: string[]): Promise<unknown> {
    captured = [];
    await kubectl(['create', ...args]).catch((err: unknown) => {
      // `create token` fails on the echoed (token-less) answer; the body is what matters.
      if (captured.length === 0) throw err;
    });
    assert.equal(captured.length, 1, `kubectl create ${args.join(' ')} sent ${captured.length} bodies`);
    const [{ contentType, body }] = captured as [Captured];
    assert.equal(contentType, 'application/vnd.kubernetes.protobuf');
    return decodeObject(body, contentType);
  }

  const cases: [string, string[]][] = [
    ['configmap', ['configmap', 'cm', '--from-literal=a=b', '--from-literal=empty=']],
    ['secret generic', ['secret', 'generic', 'sec', '--from-literal=user=admin', '--type=Opaque']],
    ['namespace', ['namespace', 'ns1']],
    ['deployment', ['deployment', 'web', '--image=nginx:1.27', '--replicas=0', '--port=8080']],
    ['service clusterip', ['service', 'clusterip', 'svc', '--tcp=80:8080', '--tcp=443:https']],
    ['job', ['job', 'once', '--image=busybox', '--', 'sh', '-c', 'echo hi']],
    ['cronjob', ['cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date']],
    ['role', ['role', 'reader', '--verb=get', '--verb=list', '--resource=pods', '--resource-name=a']],
    ['rolebinding', ['rolebinding', 'rb', '--role=reader', '--user=alice', '--serviceaccount=default:sa', '--group=devs']],
    ['quota', ['quota', 'q', '--hard=pods=10,cpu=500m,memory=1Gi', '--scopes=NotTerminating']],
    ['priorityclass', ['priorityclass', 'high', '--value=1000', '--global-default=false', '--description=important']],
    ['serviceaccount', ['serviceaccount', 'sa']],
    ['ingress', ['ingress', 'ing', '--rule=a.example/=svc:80', '--class=nginx']],
    ['poddisruptionbudget', ['poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=50%']],
    ['clusterrolebinding', ['clusterrolebinding', 'crb', '--clusterrole=view', '--user=bob']],
  ];

  for (const [name, args] of cases) {
    it(`kubectl create ${name}: the decoded body equals the JSON kubectl would send`, async () => {
      const decoded = await sent(args);
      const expected: unknown = JSON.parse(await kubectl(['create', ...args.slice(0, args.indexOf('--') < 0 ? args.length : args.indexOf('--')), '--dry-run=client', '-o', 'json', ...(args.includes('--') ? args.slice(args.indexOf('--')) : [])]));
      assert.deepEqual(decoded, expected);
    });
  }

  it('kubectl create token: a TokenRequest with audiences and expiry', async () => {
    const decoded = await sent(['token', 'sa', '--audience=api', '--duration=10m']);
    assert.deepEqual(decoded, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: { creationTimestamp: null },
      spec: { audiences: ['api'], expirationSeconds: 600, boundObjectRef: null },
      status: { token: '', expirationTimestamp: null },
    });
  });

  it('kubectl debug --copy-to: a Pod using most of the pod API survives the Go round trip', async () => {
    captured = [];
    await kubectl(['debug', 'rich', '--copy-to=rich2', '--set-image=*=busybox', '--profile=general']);
    assert.equal(captured.length, 1);
    const [{ contentType, body }] = captured as [Captured];
    // What Go's JSON encoding of the copy reads like: kubectl's changes (name, image), zero
    // structs written out, omitempty zeros dropped; pointers set to 0 or false are kept.
    const expected = structuredClone(RICH_POD) as unknown as {
      metadata: Record<string, unknown>;
      spec: {
        volumes: { ephemeral?: { volumeClaimTemplate: { metadata: Record<string, unknown> } } }[];
        containers: Record<string, unknown>[];
        hostNetwork?: boolean;
      };
      status?: unknown;
    };
    expected.metadata['name'] = 'rich2';
    expected.metadata['creationTimestamp'] = null;
    const ephemeral = expected.spec.volumes.find((v) => v.ephemeral)?.ephemeral;
    if (ephemeral) ephemeral.volumeClaimTemplate.metadata['creationTimestamp'] = null;
    const [main, side] = expected.spec.containers as [Record<string, unknown>, Record<string, unknown>];
    main['image'] = 'busybox';
    (main['env'] as { name: string; value?: string }[]).forEach((e) => {
      if (e.value === '') delete e.value;
    });
    side['image'] = 'busybox';
    side['resources'] = {};
    delete expected.spec.hostNetwork;
    expected.status = {};
    assert.deepEqual(decodeObject(body, contentType), expected);
  });

  it('kubectl auth can-i: a SelfSubjectAccessReview', async () => {
    captured = [];
    await kubectl(['auth', 'can-i', 'get', 'pods', '--subresource=log']).catch(() => undefined);
    assert.equal(captured.length, 1);
    const [{ contentType, body }] = captured as [Captured];
    assert.deepEqual(decodeObject(body, contentType), {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: {
        resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods', subresource: 'log' },
      },
      status: { allowed: false },
    });
  });
});
