import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadDefinitions } from './definitions.js';
import { closure } from './schema.js';

// The generated file (dist/openapi/definitions.json) exists whenever the build ran.
const defs = loadDefinitions();

test('Container: descriptions, required fields, refs in Kubernetes naming', () => {
  const container = defs.get('io.k8s.api.core.v1.Container');
  assert.ok(container?.properties);
  assert.deepEqual(container.required, ['name']);
  const liveness = container.properties.livenessProbe!;
  assert.equal(liveness.$ref, '#/definitions/io.k8s.api.core.v1.Probe');
  assert.match(liveness.description ?? '', /^Periodic probe of container liveness\. Container will be restarted if the probe fails\./);
  assert.deepEqual(container.properties.args, {
    type: 'array',
    items: { type: 'string' },
    description: container.properties.args!.description,
    'x-kubernetes-list-type': 'atomic',
  });
});

test('top-level kinds carry x-kubernetes-group-version-kind', () => {
  assert.deepEqual(defs.get('io.k8s.api.core.v1.Pod')?.['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(defs.get('io.k8s.api.apps.v1.DeploymentList')?.['x-kubernetes-group-version-kind'], [
    { group: 'apps', kind: 'DeploymentList', version: 'v1' },
  ]);
  assert.equal(defs.get('io.k8s.api.core.v1.PodSpec')?.['x-kubernetes-group-version-kind'], undefined);
});

test('special types: IntOrString, Quantity, Time, maps, integer widths', () => {
  assert.deepEqual(
    { ...defs.get('io.k8s.apimachinery.pkg.util.intstr.IntOrString'), description: undefined },
    { type: 'string', format: 'int-or-string', description: undefined },
  );
  assert.equal(defs.get('io.k8s.api.core.v1.HTTPGetAction')?.properties?.port?.$ref, '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
  assert.equal(defs.get('io.k8s.apimachinery.pkg.api.resource.Quantity')?.type, 'string');
  assert.deepEqual(
    { type: defs.get('io.k8s.apimachinery.pkg.apis.meta.v1.Time')?.type, format: defs.get('io.k8s.apimachinery.pkg.apis.meta.v1.Time')?.format },
    { type: 'string', format: 'date-time' },
  );
  const meta = defs.get('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')!.properties!;
  assert.deepEqual(meta.labels?.additionalProperties, { type: 'string' });
  assert.equal(meta.creationTimestamp?.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time');
  assert.equal(meta.generation?.format, 'int64');
  assert.equal(meta.finalizers?.['x-kubernetes-list-type'], 'set');
  const containerPort = defs.get('io.k8s.api.core.v1.ContainerPort')!.properties!.containerPort!;
  assert.deepEqual([containerPort.type, containerPort.format], ['integer', 'int32']);
});

test('patch strategies and list types come from patch_strategies.ts', () => {
  const spec = defs.get('io.k8s.api.core.v1.PodSpec')!.properties!;
  assert.equal(spec.containers?.['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(spec.containers?.['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(spec.containers?.['x-kubernetes-list-type'], 'map');
  assert.deepEqual(spec.containers?.['x-kubernetes-list-map-keys'], ['name']);
  assert.equal(spec.volumes?.['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  const container = defs.get('io.k8s.api.core.v1.Container')!.properties!;
  assert.equal(container.env?.['x-kubernetes-patch-merge-key'], 'name');
  assert.deepEqual(container.ports?.['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  // Reached through Deployment -> PodTemplateSpec -> PodSpec as well as through Pod.
  const strategy = defs.get('io.k8s.api.apps.v1.DeploymentSpec')!.properties!.strategy!;
  assert.equal(strategy['x-kubernetes-patch-strategy'], 'retainKeys');
  const conditions = defs.get('io.k8s.api.apps.v1.DeploymentStatus')!.properties!.conditions!;
  assert.equal(conditions['x-kubernetes-patch-merge-key'], 'type');
});

test('every reference resolves', () => {
  const all = closure(defs, defs.keys());
  assert.equal(all.length, defs.size);
  const pod = closure(defs, ['io.k8s.api.core.v1.Pod']);
  assert.ok(pod.includes('io.k8s.api.core.v1.Probe'));
  assert.ok(pod.includes('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'));
  assert.ok(!pod.includes('io.k8s.api.apps.v1.Deployment'));
  for (const name of pod) {
    const schema = defs.get(name)!;
    for (const prop of Object.values(schema.properties ?? {})) {
      const ref = prop.$ref ?? prop.items?.$ref;
      if (ref) assert.ok(defs.has(ref.replace('#/definitions/', '')), `${name}: dangling ${ref}`);
    }
  }
});

test('a missing definitions file is a clear error', () => {
  assert.throws(() => loadDefinitions({ path: '/nonexistent/definitions.json' }), /\/nonexistent\/definitions\.json: cannot load .*npm run build/);
});
