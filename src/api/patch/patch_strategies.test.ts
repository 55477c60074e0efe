import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { childType, elementType, isBuiltinKind, KINDS, listSemantics, patchExtensions, patchMeta, resolveType, rootType, STRUCTS, type ResolvedType } from './patch_strategies.js';

function walk(group: string, kind: string, ...path: string[]): ResolvedType {
  let t = resolveType(rootType(group, kind));
  for (const step of path) t = step === '[]' ? elementType(t) : childType(t, step);
  return t;
}

describe('patch strategies table', () => {
  test('every kind pod templates share PodSpec\'s metadata', () => {
    const paths: [string, string, string[]][] = [
      ['', 'Pod', ['spec']],
      ['apps', 'Deployment', ['spec', 'template', 'spec']],
      ['apps', 'ReplicaSet', ['spec', 'template', 'spec']],
      ['apps', 'StatefulSet', ['spec', 'template', 'spec']],
      ['apps', 'DaemonSet', ['spec', 'template', 'spec']],
      ['batch', 'Job', ['spec', 'template', 'spec']],
      ['batch', 'CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
      ['', 'ReplicationController', ['spec', 'template', 'spec']],
      ['', 'PodTemplate', ['template', 'spec']],
    ];
    for (const [group, kind, path] of paths) {
      assert.deepEqual(patchMeta(walk(group, kind, ...path, 'containers')), { strategy: 'merge', mergeKey: 'name', retainKeys: false }, kind);
      assert.deepEqual(patchMeta(walk(group, kind, ...path, 'containers', '[]', 'env')).mergeKey, 'name', kind);
    }
  });

  test('merge keys from the Kubernetes API types', () => {
    const key = (t: ResolvedType): string => patchMeta(t).mergeKey;
    assert.equal(key(walk('', 'Pod', 'spec', 'containers', '[]', 'ports')), 'containerPort');
    assert.equal(key(walk('', 'Pod', 'spec', 'containers', '[]', 'volumeMounts')), 'mountPath');
    assert.equal(key(walk('', 'Pod', 'spec', 'volumes')), 'name');
    assert.equal(patchMeta(walk('', 'Pod', 'spec', 'volumes')).retainKeys, true);
    assert.equal(key(walk('', 'Service', 'spec', 'ports')), 'port');
    assert.equal(key(walk('', 'Node', 'status', 'conditions')), 'type');
    assert.equal(key(walk('apps', 'Deployment', 'status', 'conditions')), 'type');
    assert.equal(key(walk('apps', 'Deployment', 'metadata', 'ownerReferences')), 'uid');
    assert.equal(patchMeta(walk('', 'ConfigMap', 'metadata', 'finalizers')).strategy, 'merge');
    assert.equal(patchMeta(walk('', 'Pod', 'spec', 'tolerations')).strategy, '');
    assert.equal(patchMeta(walk('rbac.authorization.k8s.io', 'Role', 'rules')).strategy, '');
    assert.equal(patchMeta(walk('apps', 'Deployment', 'spec', 'strategy')).retainKeys, true);
  });

  test('server-side apply list types', () => {
    const ports = walk('', 'Pod', 'spec', 'containers', '[]', 'ports');
    assert.ok(ports.kind === 'list');
    assert.deepEqual(listSemantics(ports.ref), { listType: 'map', keys: ['containerPort', 'protocol'] });
    const finalizers = walk('', 'Pod', 'metadata', 'finalizers');
    assert.ok(finalizers.kind === 'list');
    assert.deepEqual(listSemantics(finalizers.ref), { listType: 'set', keys: [] });
  });

  test('OpenAPI extensions', () => {
    const podSpec = STRUCTS.PodSpec;
    assert.ok(podSpec?.fields.containers);
    assert.deepEqual(patchExtensions(podSpec.fields.containers), {
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    assert.deepEqual(patchExtensions('LabelSelector'), { 'x-kubernetes-map-type': 'atomic' });
  });

  test('every struct a field names exists', () => {
    const names = new Set(Object.keys(STRUCTS));
    const check = (ref: unknown): void => {
      if (typeof ref === 'string') assert.ok(ref === 'scalar' || ref === 'any' || names.has(ref), ref);
      else if (ref && typeof ref === 'object') {
        const r = ref as { list?: unknown; map?: unknown; struct?: unknown };
        check(r.list ?? r.map ?? r.struct);
      }
    };
    for (const def of Object.values(STRUCTS)) Object.values(def.fields).forEach(check);
    Object.values(KINDS).forEach(check);
  });

  test('built-in kinds take strategic merge patch, custom resources do not', () => {
    assert.ok(isBuiltinKind('', 'ConfigMap'));
    assert.ok(isBuiltinKind('coordination.k8s.io', 'Lease'));
    assert.ok(!isBuiltinKind('example.com', 'Widget'));
  });
});
