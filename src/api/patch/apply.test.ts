import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject, KubeObject } from '../object.js';
import { BEFORE_FIRST_APPLY, decodeApplyPatch, serverSideApply, type ApplyContext } from './apply.js';
import { updateManagedFields } from './managed_fields.js';
import { thrownStatus } from '../../../test/support/status_error.js';

const T0 = new Date('2025-01-01T00:00:00.123Z');
const T1 = new Date('2025-01-01T01:00:00Z');

function ctx(manager: string, extra: Partial<ApplyContext> = {}): ApplyContext {
  return { manager, apiVersion: 'apps/v1', kind: 'Deployment', force: false, now: T0, ...extra };
}

function config(spec: JsonObject, labels: Record<string, string> = { app: 'web' }): JsonObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels }, spec };
}

const template = (containers: JsonObject[]): JsonObject => ({ metadata: { labels: { app: 'web' } }, spec: { containers } });

function entries(obj: KubeObject): JsonObject[] {
  return (obj.metadata.managedFields ?? []) as unknown as JsonObject[];
}

function entry(obj: KubeObject, manager: string): JsonObject {
  const e = entries(obj).find((m) => m.manager === manager);
  assert.ok(e, `no managedFields entry for ${manager}`);
  return e;
}


describe('server-side apply: create and ownership', () => {
  test('creates the object and records the applier (kubectl apply --server-side)', () => {
    const applied = config({ replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template([{ name: 'web', image: 'nginx:1' }]) });
    const obj = serverSideApply(undefined, applied, ctx('kubectl'));
    assert.equal(obj.kind, 'Deployment');
    assert.deepEqual((obj.spec as JsonObject).replicas, 2);
    assert.deepEqual(entries(obj), [
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2025-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
            },
          },
        },
      },
    ]);
  });

  test('re-applying the same configuration changes nothing, not even the time', () => {
    const applied = config({ replicas: 2 });
    const first = serverSideApply(undefined, applied, ctx('kubectl'));
    const again = serverSideApply(first, applied, ctx('kubectl', { now: T1 }));
    assert.deepEqual(again, first);
  });

  test('a changed field of its own is no conflict', () => {
    const first = serverSideApply(undefined, config({ replicas: 2 }), ctx('kubectl'));
    const second = serverSideApply(first, config({ replicas: 5 }), ctx('kubectl', { now: T1 }));
    assert.equal((second.spec as JsonObject).replicas, 5);
    assert.equal(entry(second, 'kubectl').time, '2025-01-01T01:00:00Z');
  });

  test('a field dropped from the configuration is removed when no one else owns it', () => {
    const first = serverSideApply(undefined, config({ replicas: 2, paused: true }, { app: 'web', tier: 'fe' }), ctx('kubectl'));
    const second = serverSideApply(first, config({ replicas: 2 }, { app: 'web' }), ctx('kubectl'));
    assert.deepEqual(second.spec, { replicas: 2 });
    assert.deepEqual(second.metadata.labels, { app: 'web' });
  });

  test('a map left empty by pruning goes; other managers\' fields stay', () => {
    const first = serverSideApply(undefined, config({ replicas: 2 }, { tier: 'fe' }), ctx('kubectl'));
    const labelled = updateManagedFields(
      first,
      { ...first, metadata: { ...first.metadata, annotations: { note: 'x' } } },
      { manager: 'kubectl-annotate', apiVersion: 'apps/v1', kind: 'Deployment', now: T1 },
    );
    const second = serverSideApply(labelled, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2 } }, ctx('kubectl'));
    assert.equal(second.metadata.labels, undefined);
    assert.deepEqual(second.metadata.annotations, { note: 'x' });
  });

  test('a field dropped by one applier stays while another applier owns it', () => {
    const a = serverSideApply(undefined, config({ replicas: 2 }), ctx('a'));
    const b = serverSideApply(a, config({ replicas: 2 }), ctx('b'));
    const c = serverSideApply(b, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } } }, ctx('a'));
    assert.equal((c.spec as JsonObject).replicas, 2);
    assert.deepEqual(entry(c, 'a').fieldsV1, { 'f:metadata': { 'f:labels': { 'f:app': {} } } });
  });

  test('associative lists merge by key across appliers; pruning removes only the applier\'s items', () => {
    const a = serverSideApply(undefined, config({ template: template([{ name: 'web', image: 'nginx' }]) }), ctx('a'));
    const b = serverSideApply(a, config({ template: template([{ name: 'side', image: 'busybox' }]) }), ctx('b'));
    const containers = () => (((b.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[];
    assert.deepEqual(containers().map((c) => c.name), ['web', 'side']);
    const c = serverSideApply(b, config({ template: { metadata: { labels: { app: 'web' } } } }), ctx('a'));
    const left = (((c.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[];
    assert.deepEqual(left, [{ name: 'side', image: 'busybox' }]);
  });

  test('container ports are keyed by containerPort and protocol (TCP by default)', () => {
    const obj = serverSideApply(undefined, config({ template: template([{ name: 'web', ports: [{ containerPort: 80 }] }]) }), ctx('a'));
    const containers = (entry(obj, 'a').fieldsV1 as JsonObject)['f:spec'] as JsonObject;
    assert.ok(JSON.stringify(containers).includes('k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}'));
  });

  test('finalizers are a set', () => {
    const obj = serverSideApply(
      undefined,
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', finalizers: ['x/y'] } },
      ctx('a'),
    );
    assert.deepEqual(entry(obj, 'a').fieldsV1, { 'f:metadata': { 'f:finalizers': { 'v:"x/y"': {} } } });
  });
});

describe('server-side apply: conflicts', () => {
  function createdByClientSideApply(): KubeObject {
    const obj: KubeObject = config({ replicas: 1, template: template([{ name: 'web', image: 'nginx:1' }]) }) as KubeObject;
    return updateManagedFields(undefined, obj, { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', kind: 'Deployment', now: T0 });
  }

  test('changing a field another manager owns is a 409 worded as kube-apiserver\'s', () => {
    const err = thrownStatus(() => serverSideApply(createdByClientSideApply(), config({ replicas: 3 }), ctx('kubectl', { now: T1 })));
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.deepEqual(err.status.details, {
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }],
    });
  });

  test('the same value is shared ownership, not a conflict', () => {
    const obj = serverSideApply(createdByClientSideApply(), config({ replicas: 1 }), ctx('kubectl', { now: T1 }));
    assert.deepEqual(entries(obj).map((e) => [e.manager, e.operation]), [
      ['kubectl', 'Apply'],
      ['kubectl-client-side-apply', 'Update'],
    ]);
  });

  test('several conflicts are listed by manager', () => {
    const live = createdByClientSideApply();
    const err = thrownStatus(() =>
      serverSideApply(live, config({ replicas: 3, template: template([{ name: 'web', image: 'nginx:2' }]) }), ctx('kubectl')),
    );
    assert.equal(
      err.status.message,
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
        '- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
    );
    assert.equal(err.status.details?.causes?.length, 2);
  });

  test('force takes the fields over', () => {
    const obj = serverSideApply(createdByClientSideApply(), config({ replicas: 3 }), ctx('kubectl', { force: true, now: T1 }));
    assert.equal((obj.spec as JsonObject).replicas, 3);
    const csa = JSON.stringify(entry(obj, 'kubectl-client-side-apply').fieldsV1);
    assert.ok(!csa.includes('f:replicas'), csa);
    assert.ok(JSON.stringify(entry(obj, 'kubectl').fieldsV1).includes('f:replicas'));
  });

  test('an update takes ownership from the applier; the applier then conflicts', () => {
    const applied = serverSideApply(undefined, config({ replicas: 2 }), ctx('kubectl'));
    const scaled = updateManagedFields(
      applied,
      { ...applied, spec: { replicas: 5 } },
      { manager: 'kube-controller-manager', apiVersion: 'apps/v1', kind: 'Deployment', now: T1 },
    );
    assert.ok(!JSON.stringify(entry(scaled, 'kubectl').fieldsV1).includes('f:replicas'));
    const err = thrownStatus(() => serverSideApply(scaled, config({ replicas: 2 }), ctx('kubectl')));
    assert.equal(err.status.message, 'Apply failed with 1 conflict: conflict with "kube-controller-manager" using apps/v1: .spec.replicas');
  });

  test('an object without managedFields gets a before-first-apply owner', () => {
    const live = config({ replicas: 1 }) as KubeObject;
    const err = thrownStatus(() => serverSideApply(live, config({ replicas: 2 }), ctx('kubectl')));
    assert.match(err.status.message ?? '', new RegExp(`conflict with "${BEFORE_FIRST_APPLY}" using apps/v1: .spec.replicas`));
  });
});

describe('server-side apply: bad configurations', () => {
  test('another version is 400', () => {
    const err = thrownStatus(() => serverSideApply(undefined, { ...config({}), apiVersion: 'apps/v1beta1' }, ctx('kubectl')));
    assert.equal(err.code, 400);
    assert.equal(err.status.message, 'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1');
  });

  test('managedFields in the configuration are 400', () => {
    const applied = { ...config({}), metadata: { name: 'web', managedFields: [] } };
    assert.equal(thrownStatus(() => serverSideApply(undefined, applied, ctx('kubectl'))).status.message, 'metadata.managedFields must be nil');
  });

  test('YAML and JSON bodies decode; anything else is 400', () => {
    assert.deepEqual(decodeApplyPatch('apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "1"\n'), { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } });
    assert.deepEqual(decodeApplyPatch('{"kind":"ConfigMap"}'), { kind: 'ConfigMap' });
    assert.equal(thrownStatus(() => decodeApplyPatch('- a\n- b\n')).code, 400);
    assert.equal(thrownStatus(() => decodeApplyPatch('a: [')).code, 400);
  });
});
