/**
 * The garbage collector, service account, endpoints and endpoint slice controllers, run by the
 * real `kts server`: cascading deletion in the background, foreground and orphan modes, a
 * dependent whose owner is gone collected, a `default` ServiceAccount in every namespace, and
 * Endpoints and EndpointSlices following pods whose status the test writes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Endpoints, Pod } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isStatusError } from '../../src/api/errors.js';
import type { KubeObject } from '../../src/api/object.js';
import { ApiClient, type ResourceRef } from '../../src/client/api_client.js';
import { clientConfigFromKubeconfig } from '../../src/client/kubeconfig.js';
import { useKtsServer } from '../support/e2e.js';

const core = (resource: string): ResourceRef => ({ group: '', version: 'v1', resource, namespaced: resource !== 'namespaces' });
const CONFIGMAPS = core('configmaps');
const NAMESPACES = core('namespaces');
const SERVICE_ACCOUNTS = core('serviceaccounts');
const SERVICES = core('services');
const PODS = core('pods');
const ENDPOINTS = core('endpoints');
const SLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true };
const REPLICASETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true };

async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : JSON.stringify(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('garbage collector, service accounts, endpoints', () => {
  const cluster = useKtsServer();
  let client: ApiClient;
  let n = 0;

  before(() => {
    client = new ApiClient(clientConfigFromKubeconfig(cluster.server.kubeconfig));
  });
  after(() => client.close());

  async function namespace(): Promise<string> {
    const name = `t${++n}`;
    await client.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    return name;
  }

  async function configMap(ns: string, name: string, owners: KubeObject[] = [], extra: Record<string, unknown> = {}): Promise<KubeObject> {
    const ownerReferences = owners.map((o) => ({
      apiVersion: o.apiVersion ?? 'v1',
      kind: o.kind ?? 'ConfigMap',
      name: o.metadata.name ?? '',
      uid: o.metadata.uid ?? '',
      blockOwnerDeletion: true,
    }));
    return client.create(CONFIGMAPS, ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences, ...extra } });
  }

  async function gone(ref: ResourceRef, ns: string, name: string): Promise<boolean> {
    try {
      await client.get(ref, ns, name);
      return false;
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return true;
      throw err;
    }
  }

  test('background: dependents of a deleted owner are deleted, also through a chain', async () => {
    const ns = await namespace();
    const owner = await configMap(ns, 'owner');
    const child = await configMap(ns, 'child', [owner]);
    await configMap(ns, 'grandchild', [child]);
    const rs = await client.create(REPLICASETS, ns, {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'rs' },
      spec: { replicas: 0, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    await configMap(ns, 'of-rs', [rs]);
    await client.delete(CONFIGMAPS, ns, 'owner', { propagationPolicy: 'Background' });
    await client.delete(REPLICASETS, ns, 'rs');
    await eventually(async () => (await gone(CONFIGMAPS, ns, 'child')) && (await gone(CONFIGMAPS, ns, 'grandchild')), 'the chain to be collected');
    await eventually(() => gone(CONFIGMAPS, ns, 'of-rs'), 'the ReplicaSet dependent to be collected');
  });

  test('an owner that no longer exists, or exists under another uid, leaves its dependents collected', async () => {
    const ns = await namespace();
    const ghost = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ghost', uid: '00000000-0000-0000-0000-000000000001' } };
    await configMap(ns, 'of-ghost', [ghost]);
    const ghostRs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'ghost-rs', uid: '00000000-0000-0000-0000-000000000002' } };
    await configMap(ns, 'of-ghost-rs', [ghostRs]);
    await configMap(ns, 'ghost2'); // the name exists, with another uid
    await configMap(ns, 'of-renamed', [{ ...ghost, metadata: { name: 'ghost2', uid: '00000000-0000-0000-0000-000000000003' } }]);
    // One owner gone, one present: only the reference to the gone one is dropped.
    const alive = await configMap(ns, 'alive');
    await configMap(ns, 'two-owners', [ghost, alive]);
    // An owner in another namespace does not count: owners are looked for in the dependent's.
    const elsewhere = await configMap(await namespace(), 'elsewhere');
    await configMap(ns, 'of-elsewhere', [elsewhere]);
    for (const name of ['of-ghost', 'of-ghost-rs', 'of-renamed', 'of-elsewhere']) await eventually(() => gone(CONFIGMAPS, ns, name), `${name} to be collected`);
    const kept = await eventually(async () => {
      const cm = await client.get(CONFIGMAPS, ns, 'two-owners');
      return cm.metadata.ownerReferences?.length === 1 ? cm : undefined;
    }, 'the dangling reference to be dropped');
    assert.equal(kept.metadata.ownerReferences?.[0]?.uid, alive.metadata.uid);
  });

  test('foreground: the owner stays until its blocking dependents are gone', async () => {
    const ns = await namespace();
    const owner = await configMap(ns, 'owner');
    // The dependent holds its own deletion with a finalizer, so the owner must wait for it.
    await configMap(ns, 'held', [owner], { finalizers: ['test.kts.io/hold'] });
    await configMap(ns, 'free', [owner]);
    await client.delete(CONFIGMAPS, ns, 'owner', { propagationPolicy: 'Foreground' });
    await eventually(() => gone(CONFIGMAPS, ns, 'free'), 'the free dependent to go');
    const held = await eventually(async () => {
      const cm = await client.get(CONFIGMAPS, ns, 'held');
      return cm.metadata.deletionTimestamp ? cm : undefined;
    }, 'the held dependent to be deleted');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const waiting = await client.get(CONFIGMAPS, ns, 'owner');
    assert.ok(waiting.metadata.deletionTimestamp);
    assert.deepEqual(waiting.metadata.finalizers, ['foregroundDeletion']);
    await client.patch(CONFIGMAPS, ns, 'held', { metadata: { finalizers: null, resourceVersion: held.metadata.resourceVersion } });
    await eventually(() => gone(CONFIGMAPS, ns, 'owner'), 'the owner to go after its dependents');
  });

  test('foreground carries down a chain: each level waits for the one below', async () => {
    const ns = await namespace();
    const owner = await configMap(ns, 'owner');
    const child = await configMap(ns, 'child', [owner]);
    const grandchild = await configMap(ns, 'grandchild', [child], { finalizers: ['test.kts.io/hold'] });
    await client.delete(CONFIGMAPS, ns, 'owner', { propagationPolicy: 'Foreground' });
    const held = await eventually(async () => {
      const cm = await client.get(CONFIGMAPS, ns, 'grandchild');
      return cm.metadata.deletionTimestamp ? cm : undefined;
    }, 'the grandchild to be deleted');
    const waitingChild = await client.get(CONFIGMAPS, ns, 'child');
    assert.deepEqual(waitingChild.metadata.finalizers, ['foregroundDeletion']);
    assert.ok((await client.get(CONFIGMAPS, ns, 'owner')).metadata.deletionTimestamp);
    assert.equal(grandchild.metadata.uid, held.metadata.uid);
    await client.patch(CONFIGMAPS, ns, 'grandchild', { metadata: { finalizers: null, resourceVersion: held.metadata.resourceVersion } });
    await eventually(async () => (await gone(CONFIGMAPS, ns, 'child')) && (await gone(CONFIGMAPS, ns, 'owner')), 'the chain to go, bottom up');
  });

  test('orphan: dependents lose the owner reference and stay', async () => {
    const ns = await namespace();
    const owner = await configMap(ns, 'owner');
    const other = await configMap(ns, 'other');
    await configMap(ns, 'dep', [owner, other]);
    await client.delete(CONFIGMAPS, ns, 'owner', { propagationPolicy: 'Orphan' });
    await eventually(() => gone(CONFIGMAPS, ns, 'owner'), 'the owner to go');
    const dep = await client.get(CONFIGMAPS, ns, 'dep');
    assert.deepEqual(dep.metadata.ownerReferences?.map((r) => r.name), ['other']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await gone(CONFIGMAPS, ns, 'dep'), false);
  });

  test('every namespace has a default ServiceAccount, recreated when deleted', async () => {
    const ns = await namespace();
    const first = await eventually(() => client.get(SERVICE_ACCOUNTS, ns, 'default'), 'the default ServiceAccount');
    await client.delete(SERVICE_ACCOUNTS, ns, 'default');
    const second = await eventually(async () => {
      const sa = await client.get(SERVICE_ACCOUNTS, ns, 'default');
      return sa.metadata.uid !== first.metadata.uid ? sa : undefined;
    }, 'the default ServiceAccount to come back');
    assert.ok(second.metadata.uid);
  });

  test('Endpoints and an EndpointSlice follow the pods a Service selects', async () => {
    const ns = await namespace();
    await client.create(SERVICES, ns, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'web' }] },
    });
    const pod = (name: string, containerPort: number): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'web' } },
      // Bound to a node, so that deletion is graceful and the pod stays a while, terminating.
      spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'web', containerPort }] }] },
    });
    await client.create(PODS, ns, pod('a', 8080));
    await client.create(PODS, ns, pod('b', 9090));
    await client.create(PODS, ns, pod('no-ip', 8080));
    await client.create(PODS, ns, { ...pod('other', 8080), metadata: { name: 'other', labels: { app: 'other' } } });
    const setStatus = async (name: string, podIP: string, ready: boolean): Promise<void> => {
      const current = await client.get<Pod & KubeObject>(PODS, ns, name);
      const conditions = [{ type: 'Ready', status: ready ? 'True' : 'False' }];
      await client.update(PODS, { ...current, status: { ...current.status, phase: 'Running', podIP, podIPs: [{ ip: podIP }], conditions } }, 'status');
    };
    await setStatus('a', '10.1.0.1', true);
    await setStatus('b', '10.1.0.2', false);
    await setStatus('other', '10.1.0.9', true);

    const summary = (ep: Endpoints): string[] =>
      (ep.subsets ?? []).flatMap((s) => [
        ...(s.addresses ?? []).map((a) => `ready ${a.ip} ${a.targetRef?.name ?? ''} ${(s.ports ?? []).map((p) => `${p.name ?? ''}:${p.port}`).join(',')}`),
        ...(s.notReadyAddresses ?? []).map((a) => `notReady ${a.ip} ${a.targetRef?.name ?? ''} ${(s.ports ?? []).map((p) => `${p.name ?? ''}:${p.port}`).join(',')}`),
      ]).sort();
    const endpointsBecome = (want: string[], what: string): Promise<unknown> =>
      eventually(async () => isDeepEqual(summary(await client.get<Endpoints & KubeObject>(ENDPOINTS, ns, 'web')), want), what);
    const sliceSummary = async (): Promise<string[]> => {
      const slices = await client.list<EndpointSlice & KubeObject>(SLICES, ns, { labelSelector: 'kubernetes.io/service-name=web' });
      return slices.items.flatMap((s) => {
        assert.match(s.metadata.name ?? '', /^web-.+/);
        const ports = (s.ports ?? []).map((p) => `${p.name ?? ''}:${p.port ?? 0}`).join(',');
        return s.endpoints.map((e) => `${e.conditions?.ready ? 'ready' : 'notReady'} ${e.addresses.join()} ${e.targetRef?.name ?? ''} ${ports}`);
      }).sort();
    };
    const slicesBecome = (want: string[], what: string): Promise<unknown> => eventually(async () => isDeepEqual(await sliceSummary(), want), what);

    const both = ['notReady 10.1.0.2 b http:9090', 'ready 10.1.0.1 a http:8080'];
    await endpointsBecome(both, 'Endpoints with a ready and a not-ready pod, ports resolved per pod');
    await slicesBecome(both, 'EndpointSlices with a ready and a not-ready pod');

    await setStatus('b', '10.1.0.2', true);
    const allReady = ['ready 10.1.0.1 a http:8080', 'ready 10.1.0.2 b http:9090'];
    await endpointsBecome(allReady, 'pod b to become ready in Endpoints');
    await slicesBecome(allReady, 'pod b to become ready in the slice');

    // A pod being deleted (no kubelet finishes it here) leaves at once.
    await client.delete(PODS, ns, 'a');
    assert.ok((await client.get(PODS, ns, 'a')).metadata.deletionTimestamp);
    await endpointsBecome(['ready 10.1.0.2 b http:9090'], 'the terminating pod to leave Endpoints');
    await slicesBecome(['ready 10.1.0.2 b http:9090'], 'the terminating pod to leave the slice');

    // Endpoints deleted behind the controller's back come back.
    await client.delete(ENDPOINTS, ns, 'web');
    await endpointsBecome(['ready 10.1.0.2 b http:9090'], 'the deleted Endpoints to come back');

    // publishNotReadyAddresses: not-ready and terminating pods are published, as ready.
    await setStatus('b', '10.1.0.2', false);
    await endpointsBecome(['notReady 10.1.0.2 b http:9090'], 'pod b to become not ready');
    await client.patch(SERVICES, ns, 'web', { spec: { publishNotReadyAddresses: true } });
    await endpointsBecome(allReady, 'every pod published');
    await slicesBecome(allReady, 'every pod published in the slice');

    // The API server's own Service keeps its own Endpoints, and gets no slice from this controller.
    const own = await client.get<Endpoints & KubeObject>(ENDPOINTS, 'default', 'kubernetes');
    assert.ok((own.subsets ?? []).length > 0);
    const mine = await client.list(SLICES, 'default', { labelSelector: 'kubernetes.io/service-name=kubernetes,endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io' });
    assert.equal(mine.items.length, 0);

    // The Service's deletion takes its Endpoints, and its slices through the garbage collector.
    await client.delete(SERVICES, ns, 'web');
    await eventually(() => gone(ENDPOINTS, ns, 'web'), 'the Endpoints to go with the Service');
    await eventually(async () => (await sliceSummary()).length === 0 && (await client.list(SLICES, ns)).items.length === 0, 'the slices to go with the Service');
  });
});

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
