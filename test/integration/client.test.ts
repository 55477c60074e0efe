/**
 * kts's own API client and informer against the real `kts server`: CRUD with Status errors,
 * watch, an informer that follows creates, updates and deletes, and the namespace controller
 * emptying and removing a deleted namespace.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStatusError } from '../../src/api/errors.js';
import type { KubeObject } from '../../src/api/object.js';
import { ApiClient, type ResourceRef } from '../../src/client/api_client.js';
import { Informer } from '../../src/client/informer.js';
import { clientConfigFromKubeconfig } from '../../src/client/kubeconfig.js';
import { useKtsServer } from '../support/e2e.js';

const CONFIGMAPS: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };
const NAMESPACES: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', namespaced: false };

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('kts API client', () => {
  const cluster = useKtsServer();

  test('CRUD, conflicts and not-found as Status errors', async () => {
    const client = new ApiClient(clientConfigFromKubeconfig(cluster.server.kubeconfig));
    try {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c1', namespace: 'default' }, data: { a: '1' } };
      const created = await client.create<KubeObject>(CONFIGMAPS, 'default', cm);
      assert.match(created.metadata.resourceVersion ?? '', /^\d+$/);
      const patched = await client.patch<KubeObject>(CONFIGMAPS, 'default', 'c1', { data: { b: '2' } });
      assert.deepEqual(patched.data, { a: '1', b: '2' });
      await assert.rejects(client.update(CONFIGMAPS, created), (err: unknown) => isStatusError(err, 'Conflict'));
      await client.delete(CONFIGMAPS, 'default', 'c1');
      await assert.rejects(client.get(CONFIGMAPS, 'default', 'c1'), (err: unknown) => isStatusError(err, 'NotFound'));
    } finally {
      client.close();
    }
  });

  test('an informer follows creates, updates and deletes', async () => {
    const client = new ApiClient(clientConfigFromKubeconfig(cluster.server.kubeconfig));
    const stop = new AbortController();
    const seen: string[] = [];
    const informer = new Informer({ client, resource: CONFIGMAPS, namespace: 'default', labelSelector: 'informed=yes' });
    informer.addEventHandler({
      add: (o) => seen.push(`add ${o.metadata.name ?? ''}`),
      update: (_old, o) => seen.push(`update ${o.metadata.name ?? ''}`),
      delete: (o) => seen.push(`delete ${o.metadata.name ?? ''}`),
    });
    const running = informer.run(stop.signal);
    try {
      await informer.waitForSync();
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inf', labels: { informed: 'yes' } }, data: { a: '1' } };
      await client.create(CONFIGMAPS, 'default', cm);
      await eventually(() => informer.get('default/inf') !== undefined, 'the add');
      await client.patch(CONFIGMAPS, 'default', 'inf', { data: { a: '2' } });
      await eventually(() => (informer.get('default/inf')?.data as { a?: string } | undefined)?.a === '2', 'the update');
      await client.delete(CONFIGMAPS, 'default', 'inf');
      await eventually(() => informer.get('default/inf') === undefined, 'the delete');
      assert.deepEqual(seen, ['add inf', 'update inf', 'delete inf']);
    } finally {
      stop.abort();
      await running;
      client.close();
    }
  });

  test('a deleted namespace is emptied and removed by the namespace controller', async () => {
    const client = new ApiClient(clientConfigFromKubeconfig(cluster.server.kubeconfig));
    try {
      await client.create(NAMESPACES, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
      await client.create(CONFIGMAPS, 'doomed', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
      await client.delete(NAMESPACES, undefined, 'doomed');
      await eventually(async () => {
        try {
          await client.get(NAMESPACES, undefined, 'doomed');
          return false;
        } catch (err) {
          return isStatusError(err, 'NotFound');
        }
      }, 'the namespace to go');
      const left = await client.list(CONFIGMAPS, 'doomed');
      assert.equal(left.items.length, 0);
    } finally {
      client.close();
    }
  });
});
