/**
 * End to end: the official TypeScript client, @kubernetes/client-node (1.x, the newest line that
 * runs on Node 20), against `kts server --disable-agent`: the admin kubeconfig loaded as users
 * load it, ConfigMap CRUD with each patch type the client sends, errors as ApiException with a
 * Status, list by label selector, the Watch class, and an informer whose cache follows the API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ApiException,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Status,
} from '@kubernetes/client-node';
import { useKtsServer } from '../support/e2e.js';

const NS = 'client-node';

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
async function eventually(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The Status a failed call carried, and its HTTP code. */
async function apiError(call: Promise<unknown>): Promise<{ code: number; status: V1Status }> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof ApiException, `expected an ApiException, got ${String(err)}`);
    const e = err as ApiException<string>;
    return { code: e.code, status: JSON.parse(e.body) as V1Status };
  }
  return assert.fail('the call should have failed');
}

describe('@kubernetes/client-node against kts server', () => {
  const cluster = useKtsServer();
  const kc = new KubeConfig();
  let api: CoreV1Api;

  before(async () => {
    kc.loadFromFile(cluster.server.kubeconfig);
    api = kc.makeApiClient(CoreV1Api);
    await api.createNamespace({ body: { metadata: { name: NS } } });
  });

  test('the admin kubeconfig is loaded and reaches the server', async () => {
    assert.match(kc.getCurrentCluster()?.server ?? '', new RegExp(`^https://127\\.0\\.0\\.1:${cluster.server.port}$`));
    const namespaces = await api.listNamespace();
    assert.ok(namespaces.items.some((n) => n.metadata?.name === 'default'));
    assert.ok(namespaces.items.some((n) => n.metadata?.name === NS));
  });

  test('ConfigMap create, read, replace, patch and delete', async () => {
    const created = await api.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'settings', labels: { app: 'demo' } }, data: { color: 'blue' } },
    });
    assert.equal(created.kind, 'ConfigMap');
    assert.equal(created.apiVersion, 'v1');
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.creationTimestamp instanceof Date, 'creationTimestamp parses as a date');
    const rv1 = created.metadata?.resourceVersion;
    assert.match(rv1 ?? '', /^\d+$/);

    const read = await api.readNamespacedConfigMap({ name: 'settings', namespace: NS });
    assert.deepEqual(read.data, { color: 'blue' });
    assert.equal(read.metadata?.resourceVersion, rv1);

    const replaced = await api.replaceNamespacedConfigMap({
      name: 'settings',
      namespace: NS,
      body: { ...read, data: { color: 'green', size: 'L' } },
    });
    assert.deepEqual(replaced.data, { color: 'green', size: 'L' });
    assert.notEqual(replaced.metadata?.resourceVersion, rv1);

    // A replace with the old resourceVersion is a conflict, as on any cluster.
    const conflict = await apiError(api.replaceNamespacedConfigMap({ name: 'settings', namespace: NS, body: { ...read, data: { color: 'red' } } }));
    assert.equal(conflict.code, 409);
    assert.equal(conflict.status.reason, 'Conflict');

    // The client's patch methods send a JSON patch (application/json-patch+json) unless a
    // middleware sets another Content-Type.
    const jsonPatched = await api.patchNamespacedConfigMap({
      name: 'settings',
      namespace: NS,
      body: [
        { op: 'replace', path: '/data/color', value: 'yellow' },
        { op: 'add', path: '/metadata/labels/tier', value: 'web' },
      ],
    });
    assert.deepEqual(jsonPatched.data, { color: 'yellow', size: 'L' });
    assert.deepEqual(jsonPatched.metadata?.labels, { app: 'demo', tier: 'web' });

    const mergePatched = await api.patchNamespacedConfigMap(
      { name: 'settings', namespace: NS, body: { data: { size: null, shape: 'round' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    assert.deepEqual(mergePatched.data, { color: 'yellow', shape: 'round' });

    const strategicPatched = await api.patchNamespacedConfigMap(
      { name: 'settings', namespace: NS, body: { metadata: { annotations: { note: 'smp' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    assert.deepEqual(strategicPatched.metadata?.annotations, { note: 'smp' });

    const applied = await api.patchNamespacedConfigMap(
      {
        name: 'settings',
        namespace: NS,
        fieldManager: 'client-node-test',
        force: true,
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: NS }, data: { color: 'black' } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    assert.equal(applied.data?.color, 'black');
    assert.ok(applied.metadata?.managedFields?.some((f) => f.manager === 'client-node-test' && f.operation === 'Apply'));

    const deleted = await api.deleteNamespacedConfigMap({ name: 'settings', namespace: NS });
    assert.equal(deleted.kind, 'Status');
    assert.equal(deleted.status, 'Success');

    const missing = await apiError(api.readNamespacedConfigMap({ name: 'settings', namespace: NS }));
    assert.equal(missing.code, 404);
    assert.equal(missing.status.reason, 'NotFound');
    assert.equal(missing.status.message, 'configmaps "settings" not found');
  });

  test('list with a label selector', async () => {
    for (const [name, tier] of [
      ['web-1', 'web'],
      ['web-2', 'web'],
      ['db-1', 'db'],
    ] as const) {
      await api.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name, labels: { tier, set: 'list' } } } });
    }
    const web = await api.listNamespacedConfigMap({ namespace: NS, labelSelector: 'tier=web' });
    assert.equal(web.kind, 'ConfigMapList');
    assert.deepEqual(web.items.map((c) => c.metadata?.name).sort(), ['web-1', 'web-2']);
    assert.match(web.metadata?.resourceVersion ?? '', /^\d+$/);
    const notWeb = await api.listNamespacedConfigMap({ namespace: NS, labelSelector: 'set=list,tier!=web' });
    assert.deepEqual(notWeb.items.map((c) => c.metadata?.name), ['db-1']);
    const both = await api.listNamespacedConfigMap({ namespace: NS, labelSelector: 'tier in (web,db)', limit: 2 });
    assert.equal(both.items.length, 2);
    assert.ok(both.metadata?._continue, 'a limited list has a continue token');
    const rest = await api.listNamespacedConfigMap({ namespace: NS, labelSelector: 'tier in (web,db)', limit: 2, _continue: both.metadata?._continue });
    assert.equal(rest.items.length, 1);
    const all = await api.listConfigMapForAllNamespaces({ labelSelector: 'set=list' });
    assert.equal(all.items.length, 3);
    await api.deleteCollectionNamespacedConfigMap({ namespace: NS, labelSelector: 'set=list' });
    assert.deepEqual((await api.listNamespacedConfigMap({ namespace: NS, labelSelector: 'set=list' })).items, []);
  });

  test('Watch sees ADDED, MODIFIED and DELETED', async () => {
    const start = await api.listNamespacedConfigMap({ namespace: NS });
    const events: { type: string; name: string; color?: string }[] = [];
    let ended: unknown = 'not yet';
    const controller = await new Watch(kc).watch(
      `/api/v1/namespaces/${NS}/configmaps`,
      { resourceVersion: start.metadata?.resourceVersion, labelSelector: 'watched=yes' },
      (type, obj: V1ConfigMap) => events.push({ type, name: obj.metadata?.name ?? '', color: obj.data?.color }),
      (err: unknown) => {
        ended = err;
      },
    );
    try {
      await api.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'other' } } });
      await api.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'watched', labels: { watched: 'yes' } }, data: { color: 'a' } } });
      await api.patchNamespacedConfigMap(
        { name: 'watched', namespace: NS, body: { data: { color: 'b' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await api.deleteNamespacedConfigMap({ name: 'watched', namespace: NS });
      await eventually('three watch events', () => events.length >= 3);
      assert.deepEqual(events, [
        { type: 'ADDED', name: 'watched', color: 'a' },
        { type: 'MODIFIED', name: 'watched', color: 'b' },
        { type: 'DELETED', name: 'watched', color: 'b' },
      ]);
      assert.equal(ended, 'not yet', 'the watch is still open');
    } finally {
      controller.abort();
      await api.deleteNamespacedConfigMap({ name: 'other', namespace: NS });
    }
  });

  test('a watch with timeoutSeconds is closed by the server, and done() hears a clean end', async () => {
    const started = Date.now();
    const ended = await new Promise<unknown>((resolve) => {
      void new Watch(kc).watch(`/api/v1/namespaces/${NS}/configmaps`, { timeoutSeconds: 1 }, () => undefined, resolve);
    });
    assert.equal(ended, null);
    const took = Date.now() - started;
    assert.ok(took >= 900 && took < 5000, `the watch lasted ${took} ms`);
  });

  describe('an informer', () => {
    const informer = makeInformer<V1ConfigMap>(kc, `/api/v1/namespaces/${NS}/configmaps`, () => api.listNamespacedConfigMap({ namespace: NS, labelSelector: 'cached=yes' }), 'cached=yes');
    const seen: string[] = [];
    const errors: unknown[] = [];

    before(async () => {
      await api.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'before', labels: { cached: 'yes' } }, data: { v: '0' } } });
      informer.on('add', (cm) => seen.push(`add ${cm.metadata?.name}`));
      informer.on('update', (cm) => seen.push(`update ${cm.metadata?.name} ${cm.data?.v}`));
      informer.on('delete', (cm) => seen.push(`delete ${cm.metadata?.name}`));
      informer.on('error', (err) => errors.push(err));
      await informer.start();
    });
    after(async () => {
      await informer.stop();
    });

    test('lists first, then follows creates, updates and deletes', async () => {
      await eventually('the initial list', () => informer.get('before', NS) !== undefined);
      assert.deepEqual(seen, ['add before']);

      await api.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'later', labels: { cached: 'yes' } }, data: { v: '1' } } });
      await api.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'ignored' } } });
      await eventually('the created ConfigMap in the cache', () => informer.get('later', NS) !== undefined);
      assert.equal(informer.list(NS).length, 2);

      await api.replaceNamespacedConfigMap({
        name: 'later',
        namespace: NS,
        body: { ...(await api.readNamespacedConfigMap({ name: 'later', namespace: NS })), data: { v: '2' } },
      });
      await eventually('the update in the cache', () => informer.get('later', NS)?.data?.v === '2');
      const cached = informer.get('later', NS);
      const live = await api.readNamespacedConfigMap({ name: 'later', namespace: NS });
      assert.equal(cached?.metadata?.resourceVersion, live.metadata?.resourceVersion);

      await api.deleteNamespacedConfigMap({ name: 'before', namespace: NS });
      await eventually('the delete in the cache', () => informer.get('before', NS) === undefined);
      assert.deepEqual(
        informer.list(NS).map((c) => c.metadata?.name),
        ['later'],
      );
      // Relabelled out of the selector: a real watch reports it as DELETED.
      await api.patchNamespacedConfigMap(
        { name: 'later', namespace: NS, body: { metadata: { labels: { cached: 'no' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await eventually('the relabelled ConfigMap gone from the cache', () => informer.list(NS).length === 0);
      assert.deepEqual(seen, ['add before', 'add later', 'update later 2', 'delete before', 'delete later']);
      assert.deepEqual(errors, []);
    });
  });
});
