import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reconcileNewReplicaSet, reconcileOldReplicaSets, scaleDeployment } from './deployment_rolling.js';
import {
  computeHash,
  equalIgnoreHash,
  resolveFenceposts,
  scaledValue,
  setNewReplicaSetAnnotations,
  type DeploymentObject,
  type ReplicaSetObject,
} from './deployment_util.js';

function deployment(replicas: number, maxSurge: number | string, maxUnavailable: number | string): DeploymentObject {
  return {
    metadata: { name: 'd', annotations: { 'kubernetes.io/change-cause': 'v2', 'deployment.kubernetes.io/revision': '9' } },
    spec: { replicas, selector: {}, template: {}, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } },
  };
}

function rs(name: string, replicas: number, available: number, created: string, maxReplicas?: number): ReplicaSetObject {
  const annotations = maxReplicas === undefined ? undefined : { 'deployment.kubernetes.io/max-replicas': String(maxReplicas) };
  return {
    metadata: { name, creationTimestamp: created, annotations },
    spec: { replicas, selector: {} },
    status: { replicas, availableReplicas: available },
  };
}

/** A scale function that records what it was asked and answers the scaled copy. */
function recorder(): { calls: string[]; scale: (r: ReplicaSetObject, n: number) => Promise<ReplicaSetObject> } {
  const calls: string[] = [];
  return {
    calls,
    scale: (r, n) => {
      if (r.spec?.replicas !== n) calls.push(`${r.metadata.name ?? ''}=${n}`);
      return Promise.resolve({ ...r, spec: { selector: {}, ...r.spec, replicas: n } });
    },
  };
}

test('percentages round as Kubernetes: surge up, unavailable down, never both zero', () => {
  assert.equal(scaledValue('25%', 10, true), 3);
  assert.equal(scaledValue('25%', 10, false), 2);
  assert.equal(scaledValue(2, 10, false), 2);
  assert.throws(() => scaledValue('2', 10, false), /not a percentage/);
  assert.deepEqual(resolveFenceposts(deployment(3, '25%', '25%')), { maxSurge: 1, maxUnavailable: 0 });
  assert.deepEqual(resolveFenceposts(deployment(1, 0, '10%')), { maxSurge: 0, maxUnavailable: 1 });
});

test('the pod-template-hash is stable, depends on the template and the collision count', () => {
  const a = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } };
  const reordered = { spec: { containers: [{ image: 'i:1', name: 'c' }] }, metadata: { labels: { app: 'x' } } };
  assert.match(computeHash(a), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(computeHash(a), computeHash(reordered));
  assert.notEqual(computeHash(a), computeHash(a, 1));
  assert.ok(equalIgnoreHash(a, { ...a, metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' } } }));
  assert.ok(!equalIgnoreHash(a, { ...a, spec: { containers: [{ name: 'c', image: 'i:2' }] } }));
});

test('a new ReplicaSet gets the next revision, the annotations and the replica annotations', () => {
  const d = deployment(3, 1, 0);
  const r = rs('new', 0, 0, '2026-01-01T00:00:00Z');
  assert.ok(setNewReplicaSetAnnotations(d, r, 4, false));
  assert.deepEqual(r.metadata.annotations, {
    'kubernetes.io/change-cause': 'v2',
    'deployment.kubernetes.io/revision': '4',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  });
  // An old ReplicaSet brought back (rollout undo) remembers its old revision.
  assert.ok(setNewReplicaSetAnnotations(d, r, 6, true));
  assert.equal((r.metadata.annotations as Record<string, string> | undefined)?.['deployment.kubernetes.io/revision-history'], '4');
  assert.ok(!setNewReplicaSetAnnotations(d, r, 6, true));
});

test('a rolling update with maxSurge=1, maxUnavailable=0 steps one pod at a time', async () => {
  const d = deployment(3, 1, 0);
  const old = rs('old', 3, 3, '2026-01-01T00:00:00Z');
  const next = rs('new', 0, 0, '2026-01-02T00:00:00Z');
  const r = recorder();
  assert.ok(await reconcileNewReplicaSet(d, [old, next], next, r.scale));
  assert.deepEqual(r.calls, ['new=1']);
  // The new pod is not available yet: nothing old may go.
  const next1 = rs('new', 1, 0, '2026-01-02T00:00:00Z');
  assert.ok(!(await reconcileOldReplicaSets(d, [old, next1], [old], next1, r.scale)));
  // Once it is, one old pod goes.
  const next1ok = rs('new', 1, 1, '2026-01-02T00:00:00Z');
  assert.ok(await reconcileOldReplicaSets(d, [old, next1ok], [old], next1ok, r.scale));
  assert.deepEqual(r.calls, ['new=1', 'old=2']);
});

test('scaling during a rollout is spread in proportion, the remainder to the largest', async () => {
  // 10 replicas mid-rollout (old 8 + new 5 = 13 = 10 + 3 surge), scaled to 20: 20 + 5 surge = 25.
  const d = deployment(20, '25%', '25%');
  const old = rs('old', 8, 8, '2026-01-01T00:00:00Z', 13);
  const next = rs('new', 5, 0, '2026-01-02T00:00:00Z', 13);
  const r = recorder();
  await scaleDeployment(d, next, [old], r.scale);
  assert.deepEqual(r.calls.sort(), ['new=10', 'old=15']);
});
