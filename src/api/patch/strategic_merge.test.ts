import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../object.js';
import { rootType } from './patch_strategies.js';
import { applyStrategicMergePatch, strategicMergePatch } from './strategic_merge.js';
import { thrownStatus } from '../../../test/support/status_error.js';

const DEPLOYMENT = rootType('apps', 'Deployment');
const POD = rootType('', 'Pod');

function deployment(containers: unknown[], extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers, ...extra } } },
  };
}
const podSpecOf = (d: JsonObject): JsonObject => ((d.spec as JsonObject).template as JsonObject).spec as JsonObject;
const names = (list: unknown): unknown[] => (list as JsonObject[]).map((c) => c.name);


describe('strategic merge patch: merge lists', () => {
  // New items the live list lacks come first: the kubectl docs' example shows
  // patch-demo-ctr-2 (from the patch) before patch-demo-ctr.
  test('containers merge by name; a new container goes first (kubectl docs: update a Deployment)', () => {
    const live = deployment([{ name: 'patch-demo-ctr', image: 'nginx' }]);
    const out = strategicMergePatch(
      live,
      { spec: { template: { spec: { containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] } } } },
      DEPLOYMENT,
    );
    assert.deepEqual(podSpecOf(out).containers, [
      { name: 'patch-demo-ctr-2', image: 'redis' },
      { name: 'patch-demo-ctr', image: 'nginx' },
    ]);
    assert.deepEqual(podSpecOf(live).containers, [{ name: 'patch-demo-ctr', image: 'nginx' }], 'input unchanged');
  });

  test('kubectl set image: one field of one container, order from $setElementOrder', () => {
    const live = deployment([
      { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }] },
      { name: 'side', image: 'busybox' },
    ]);
    const out = applyStrategicMergePatch(
      live,
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"side"}],"containers":[{"image":"nginx:2","name":"web"}]}}}}',
      DEPLOYMENT,
    );
    assert.deepEqual(podSpecOf(out).containers, [
      { name: 'web', image: 'nginx:2', ports: [{ containerPort: 80 }] },
      { name: 'side', image: 'busybox' },
    ]);
    assert.ok(!('$setElementOrder/containers' in podSpecOf(out)));
  });

  test('$setElementOrder reorders the merged list', () => {
    const live = deployment([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    const out = strategicMergePatch(
      live,
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } } } },
      DEPLOYMENT,
    );
    assert.deepEqual(names(podSpecOf(out).containers), ['c', 'a', 'b']);
  });

  test('patch items keep the patch order; a server-only item goes before a patch item it preceded', () => {
    const live = deployment([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
    const out = strategicMergePatch(live, { spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }, { name: 'a', image: 'y' }] } } } }, DEPLOYMENT);
    assert.deepEqual(names(podSpecOf(out).containers), ['b', 'c', 'a']);
  });

  test('nested merge lists: env by name, ports by containerPort, volumeMounts by mountPath', () => {
    const live = deployment([
      {
        name: 'web',
        env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
        ports: [{ containerPort: 80, name: 'http' }],
        volumeMounts: [{ mountPath: '/data', name: 'data' }],
      },
    ]);
    const out = strategicMergePatch(
      live,
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'web',
                  env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }],
                  ports: [{ containerPort: 443, name: 'https' }],
                  volumeMounts: [{ mountPath: '/data', readOnly: true }],
                },
              ],
            },
          },
        },
      },
      DEPLOYMENT,
    );
    const [c] = podSpecOf(out).containers as JsonObject[];
    assert.deepEqual(c?.env, [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
    assert.deepEqual(c?.ports, [{ containerPort: 443, name: 'https' }, { containerPort: 80, name: 'http' }]);
    assert.deepEqual(c?.volumeMounts, [{ mountPath: '/data', name: 'data', readOnly: true }]);
  });

  test('volumes by name, imagePullSecrets by name', () => {
    const live = deployment([{ name: 'web' }], { volumes: [{ name: 'a', emptyDir: {} }], imagePullSecrets: [{ name: 'x' }] });
    const out = strategicMergePatch(
      live,
      { spec: { template: { spec: { volumes: [{ name: 'b', emptyDir: {} }], imagePullSecrets: [{ name: 'y' }] } } } },
      DEPLOYMENT,
    );
    assert.deepEqual(names(podSpecOf(out).volumes), ['b', 'a']);
    assert.deepEqual(names(podSpecOf(out).imagePullSecrets), ['y', 'x']);
  });

  test('tolerations carry no strategy: replaced (kubectl docs)', () => {
    const live = deployment([{ name: 'web' }], { tolerations: [{ effect: 'NoSchedule', key: 'dedicated', value: 'test-team' }] });
    const out = strategicMergePatch(
      live,
      { spec: { template: { spec: { tolerations: [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }] } } } },
      DEPLOYMENT,
    );
    assert.deepEqual(podSpecOf(out).tolerations, [{ effect: 'NoSchedule', key: 'disktype', value: 'ssd' }]);
  });

  test('command and args are replaced', () => {
    const live = deployment([{ name: 'web', args: ['a', 'b'] }]);
    const out = strategicMergePatch(live, { spec: { template: { spec: { containers: [{ name: 'web', args: ['c'] }] } } } }, DEPLOYMENT);
    assert.deepEqual((podSpecOf(out).containers as JsonObject[])[0]?.args, ['c']);
  });

  test('a pod has the same metadata as a pod template', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: '1' }] } };
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'b', image: '2' }] } }, POD);
    assert.deepEqual(names((out.spec as JsonObject).containers), ['b', 'a']);
  });

  test('Service ports merge by port', () => {
    const svc = { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    const out = strategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } }, rootType('', 'Service'));
    assert.deepEqual((out.spec as JsonObject).ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
  });

  test('ownerReferences merge by uid; status conditions by type', () => {
    const rs = {
      metadata: { name: 'r', ownerReferences: [{ uid: '1', name: 'a' }] },
      status: { conditions: [{ type: 'Ready', status: 'False' }, { type: 'Other', status: 'True' }] },
    };
    const out = strategicMergePatch(
      rs,
      { metadata: { ownerReferences: [{ uid: '2', name: 'b' }] }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      rootType('apps', 'ReplicaSet'),
    );
    assert.deepEqual(names((out.metadata as JsonObject).ownerReferences), ['b', 'a']);
    assert.deepEqual((out.status as JsonObject).conditions, [{ type: 'Ready', status: 'True' }, { type: 'Other', status: 'True' }]);
  });

  test('a kind without metadata replaces lists and merges maps', () => {
    const lease = { metadata: { labels: { a: '1' } }, spec: { list: [1, 2], holder: 'x' } };
    const out = strategicMergePatch(lease, { metadata: { labels: { b: '2' } }, spec: { list: [3] } }, rootType('coordination.k8s.io', 'Lease'));
    assert.deepEqual(out, { metadata: { labels: { a: '1', b: '2' } }, spec: { list: [3], holder: 'x' } });
  });
});

describe('strategic merge patch: primitive merge lists (finalizers)', () => {
  const live = { metadata: { name: 'x', finalizers: ['a', 'b'] } };
  const ROOT = rootType('', 'ConfigMap');

  test('merge as a set, without duplicates', () => {
    const out = strategicMergePatch(live, { metadata: { finalizers: ['b', 'c'] } }, ROOT);
    assert.deepEqual((out.metadata as JsonObject).finalizers, ['a', 'b', 'c']);
  });

  test('$deleteFromPrimitiveList removes values', () => {
    const out = strategicMergePatch(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, ROOT);
    assert.deepEqual((out.metadata as JsonObject).finalizers, ['b']);
  });

  test('$deleteFromPrimitiveList with $setElementOrder, as kubectl apply sends it', () => {
    const out = strategicMergePatch(
      { metadata: { finalizers: ['a', 'b', 'c'] } },
      { metadata: { '$setElementOrder/finalizers': ['c', 'b'], '$deleteFromPrimitiveList/finalizers': ['a'] } },
      ROOT,
    );
    assert.deepEqual((out.metadata as JsonObject).finalizers, ['c', 'b']);
  });

  test('a $deleteFromPrimitiveList that is not a list is 400', () => {
    const err = thrownStatus(() => strategicMergePatch(live, { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, ROOT));
    assert.equal(err.code, 400);
    assert.equal(err.status.message, 'invalid patch format of primitive list');
  });
});

describe('strategic merge patch: directives', () => {
  test('$patch: replace on a list item replaces the whole list', () => {
    const live = deployment([{ name: 'a', image: '1' }, { name: 'b', image: '2' }]);
    const out = strategicMergePatch(
      live,
      { spec: { template: { spec: { containers: [{ name: 'c', image: '3' }, { $patch: 'replace' }] } } } },
      DEPLOYMENT,
    );
    assert.deepEqual(podSpecOf(out).containers, [{ name: 'c', image: '3' }]);
  });

  test('$patch: delete on a list item deletes by merge key', () => {
    const live = deployment([{ name: 'a' }, { name: 'b' }]);
    const out = strategicMergePatch(live, { spec: { template: { spec: { containers: [{ name: 'a', $patch: 'delete' }] } } } }, DEPLOYMENT);
    assert.deepEqual(names(podSpecOf(out).containers), ['b']);
  });

  test('$patch: replace on a map replaces it; $patch: delete empties it', () => {
    const live = { metadata: { labels: { a: '1', b: '2' }, annotations: { x: 'y' } } };
    const out = strategicMergePatch(
      live,
      { metadata: { labels: { c: '3', $patch: 'replace' }, annotations: { $patch: 'delete' } } },
      rootType('', 'ConfigMap'),
    );
    assert.deepEqual(out.metadata, { labels: { c: '3' }, annotations: {} });
  });

  test('$retainKeys drops keys not listed (Deployment strategy to Recreate, kubectl docs)', () => {
    const live = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } } } };
    const out = strategicMergePatch(live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, DEPLOYMENT);
    assert.deepEqual(out.spec, { strategy: { type: 'Recreate' } });
  });

  test('a patch key missing from $retainKeys is 400', () => {
    const err = thrownStatus(() =>
      strategicMergePatch({ spec: {} }, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, DEPLOYMENT),
    );
    assert.equal(err.code, 400);
    assert.equal(err.status.message, 'invalid patch format of retainKeys');
  });

  test('null deletes a field; unmatched nulls are ignored', () => {
    const out = strategicMergePatch({ metadata: { labels: { a: '1', b: '2' } } }, { metadata: { labels: { a: null, z: null } } }, POD);
    assert.deepEqual(out.metadata, { labels: { b: '2' } });
  });

  test('directives and nulls inside values the live object lacks are applied, not stored', () => {
    const out = strategicMergePatch(
      { metadata: { name: 'x' } },
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', image: null, args: ['x'] }] } } } },
      DEPLOYMENT,
    );
    assert.deepEqual(out.spec, { template: { spec: { containers: [{ name: 'a', args: ['x'] }] } } });
  });

  test('an unknown $patch value is 500 with apimachinery\'s message', () => {
    const err = thrownStatus(() => strategicMergePatch({ metadata: {} }, { metadata: { $patch: 'frob' } }, POD));
    assert.equal(err.code, 500);
    assert.match(err.status.message ?? '', /^unknown patch type: frob in map: map\[\$patch:frob\]$/);
  });
});

describe('strategic merge patch: errors', () => {
  test('a merge list item without its merge key is 500', () => {
    const err = thrownStatus(() => strategicMergePatch(deployment([{ name: 'a' }]), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, DEPLOYMENT));
    assert.equal(err.code, 500);
    assert.equal(err.status.message, 'map: map[image:x] does not contain declared merge key: name');
  });

  test('lists of lists are 422', () => {
    const live = { metadata: { finalizers: [['a']] } };
    const err = thrownStatus(() => strategicMergePatch(live, { metadata: { finalizers: [['b']] } }, POD));
    assert.equal(err.code, 422);
  });

  test('a body that is not a JSON object is 400', () => {
    assert.equal(thrownStatus(() => applyStrategicMergePatch({}, '[]', POD)).code, 400);
    assert.equal(thrownStatus(() => applyStrategicMergePatch({}, '{', POD)).code, 400);
  });

  test('a $setElementOrder list that contradicts the patch is 500', () => {
    const err = thrownStatus(() =>
      strategicMergePatch(
        deployment([{ name: 'a' }, { name: 'b' }]),
        { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'b', image: 'x' }] } } } },
        DEPLOYMENT,
      ),
    );
    assert.equal(err.code, 500);
    assert.match(err.status.message ?? '', /doesn't match \$setElementOrder list/);
  });
});
