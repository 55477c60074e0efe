import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject, KubeObject } from '../object.js';
import { APPLY_PATCH, applyPatch, checkPatchType, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, validatePatchOptions } from './patch.js';
import { thrownStatus } from '../../../test/support/status_error.js';

const now = new Date('2025-01-01T00:00:00Z');
const ctx = { apiVersion: 'apps/v1', kind: 'Deployment', fieldManager: 'kubectl', now };
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } },
};


describe('patch types', () => {
  test('a Content-Type names the patch type, parameters aside', () => {
    assert.equal(checkPatchType('application/merge-patch+json; charset=utf-8', 'apps', 'Deployment'), MERGE_PATCH);
    assert.equal(checkPatchType('application/strategic-merge-patch+json', '', 'Pod'), STRATEGIC_MERGE_PATCH);
  });

  test('strategic merge patch on a custom resource is 415, as kube-apiserver refuses it', () => {
    const err = thrownStatus(() => checkPatchType('application/strategic-merge-patch+json', 'example.com', 'Widget'));
    assert.equal(err.code, 415);
    assert.equal(err.reason, 'UnsupportedMediaType');
    assert.equal(
      err.status.message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  });

  test('an unknown type is 415 listing the four built-in types', () => {
    const err = thrownStatus(() => checkPatchType('application/json', '', 'Pod'));
    assert.match(err.status.message ?? '', /application\/strategic-merge-patch\+json, application\/apply-patch\+yaml$/);
  });
});

describe('patch options', () => {
  test('apply requires a fieldManager', () => {
    const err = thrownStatus(() => validatePatchOptions(APPLY_PATCH, {}));
    assert.equal(err.code, 422);
    assert.equal(err.status.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  test('force is for apply only', () => {
    const err = thrownStatus(() => validatePatchOptions(MERGE_PATCH, { force: false }));
    assert.equal(err.status.message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
    validatePatchOptions(APPLY_PATCH, { fieldManager: 'kubectl', force: true });
    validatePatchOptions(MERGE_PATCH, {});
  });

  test('fieldManager must be printable and at most 128 bytes', () => {
    assert.equal(thrownStatus(() => validatePatchOptions(MERGE_PATCH, { fieldManager: 'a'.repeat(129) })).code, 422);
    assert.match(thrownStatus(() => validatePatchOptions(MERGE_PATCH, { fieldManager: 'a\u0007' })).status.message ?? '', /invalid character U\+0007 \(at position 1\)/);
  });
});

describe('applyPatch', () => {
  test('each patch type, as kubectl sends them', () => {
    const label = applyPatch(MERGE_PATCH, deployment, '{"metadata":{"labels":{"a":"b"}}}', ctx);
    assert.deepEqual(label.metadata.labels, { a: 'b' });
    const image = applyPatch(
      STRATEGIC_MERGE_PATCH,
      deployment,
      '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"nginx:2","name":"web"}]}}}}',
      ctx,
    );
    assert.deepEqual(((image.spec as JsonObject).template as JsonObject).spec, { containers: [{ name: 'web', image: 'nginx:2' }] });
    const undo = applyPatch(JSON_PATCH, deployment, '[{"op":"replace","path":"/spec/replicas","value":4}]', ctx);
    assert.equal((undo.spec as JsonObject).replicas, 4);
    assert.equal((deployment.spec as JsonObject).replicas, 1, 'current unchanged');
  });

  test('apply creates when there is no object, and conflicts are 409', () => {
    const body = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } });
    const created = applyPatch(APPLY_PATCH, undefined, body, ctx);
    assert.equal((created.spec as JsonObject).replicas, 3);
    assert.equal(created.metadata.managedFields?.[0]?.manager, 'kubectl');
    const other = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 5 } });
    assert.equal(thrownStatus(() => applyPatch(APPLY_PATCH, created, other, { ...ctx, fieldManager: 'other' })).code, 409);
    const forced = applyPatch(APPLY_PATCH, created, other, { ...ctx, fieldManager: 'other', force: true });
    assert.equal((forced.spec as JsonObject).replicas, 5);
  });

  test('a JSON patch that leaves no object is 400', () => {
    assert.equal(thrownStatus(() => applyPatch(JSON_PATCH, deployment, '[{"op":"replace","path":"","value":[1]}]', ctx)).code, 400);
  });
});
