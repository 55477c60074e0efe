import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ResourceRef } from '../client/api_client.js';
import { OwnershipGraph, isDeletingDependents, isOrphaning } from './gc_graph.js';
import type { ObjectMetadata } from './metadata_informer.js';

const CM: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', namespaced: true };

function meta(uid: string, owners: string[] = [], extra: Partial<ObjectMetadata> = {}): ObjectMetadata {
  const ownerReferences = owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o, uid: o }));
  return { namespace: 'ns', name: uid, uid, resourceVersion: '1', ownerReferences, finalizers: [], deleting: false, ...extra };
}

test('dependents are found by owner uid, observed or not, and follow changes of ownerReferences', () => {
  const graph = new OwnershipGraph();
  graph.upsert(CM, meta('a', ['ghost']));
  graph.upsert(CM, meta('b', ['ghost', 'c']));
  assert.deepEqual(graph.dependentsOf('ghost').map((n) => n.meta.uid), ['a', 'b']);
  assert.deepEqual(graph.upsert(CM, meta('b', ['c'])), ['ghost']);
  assert.deepEqual(graph.dependentsOf('ghost').map((n) => n.meta.uid), ['a']);
  graph.remove('a');
  assert.deepEqual(graph.dependentsOf('ghost'), []);
  assert.deepEqual(graph.dependentsOf('c').map((n) => n.meta.uid), ['b']);
  assert.equal(graph.size, 1);
});

test('deletion modes come from deletionTimestamp and finalizers', () => {
  assert.equal(isDeletingDependents(meta('x', [], { deleting: true, finalizers: ['foregroundDeletion'] })), true);
  assert.equal(isDeletingDependents(meta('x', [], { finalizers: ['foregroundDeletion'] })), false);
  assert.equal(isOrphaning(meta('x', [], { deleting: true, finalizers: ['orphan'] })), true);
});
