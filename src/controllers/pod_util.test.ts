import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ControllerExpectations } from './expectations.js';
import { isPodAvailable, podsToDelete, type PodObject } from './pod_util.js';

function pod(name: string, fields: { node?: string; phase?: string; readySince?: string; created?: string }): PodObject {
  const conditions = fields.readySince ? [{ type: 'Ready', status: 'True', lastTransitionTime: fields.readySince }] : [];
  return {
    metadata: { name, namespace: 'ns', creationTimestamp: fields.created ?? '2026-01-01T00:00:00Z' },
    spec: { nodeName: fields.node, containers: [] },
    status: { phase: fields.phase ?? 'Pending', conditions },
  };
}

test('surplus pods go unscheduled first, then pending, not ready, newest', () => {
  const pods = [
    pod('running-old', { node: 'n1', phase: 'Running', readySince: '2026-01-01T00:00:00Z' }),
    pod('running-new', { node: 'n2', phase: 'Running', readySince: '2026-01-01T01:00:00Z' }),
    pod('pending', { node: 'n3', phase: 'Pending' }),
    pod('unscheduled', {}),
    pod('not-ready', { node: 'n4', phase: 'Running' }),
  ];
  assert.deepEqual(
    podsToDelete(pods, 4).map((p) => p.metadata.name),
    ['unscheduled', 'pending', 'not-ready', 'running-new'],
  );
});

test('a pod is available once ready for minReadySeconds', () => {
  const p = pod('p', { phase: 'Running', readySince: '2026-01-01T00:00:00Z' });
  const at = Date.parse('2026-01-01T00:00:05Z');
  assert.ok(isPodAvailable(p, 0, at));
  assert.ok(isPodAvailable(p, 4, at));
  assert.ok(!isPodAvailable(p, 10, at));
});

test('expectations hold until every creation and deletion is observed, or they expire', () => {
  let now = 0;
  const e = new ControllerExpectations({ ttlMs: 1000, now: () => now });
  assert.ok(e.satisfied('ns/rs'));
  e.expectCreations('ns/rs', 2);
  e.creationObserved('ns/rs');
  assert.ok(!e.satisfied('ns/rs'));
  e.creationObserved('ns/rs');
  assert.ok(e.satisfied('ns/rs'));
  e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
  e.deletionObserved('ns/rs', 'ns/a');
  e.deletionObserved('ns/rs', 'ns/a');
  assert.ok(!e.satisfied('ns/rs'));
  now = 2000;
  assert.ok(e.satisfied('ns/rs'), 'expired');
});
