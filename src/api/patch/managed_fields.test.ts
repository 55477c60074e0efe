import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject, KubeObject } from '../object.js';
import { decodeManagedFields, encodeManagedFields, managerOrUserAgent, updateManagedFields, type WriteContext } from './managed_fields.js';

const T0 = new Date('2025-01-01T00:00:00Z');
const T1 = new Date('2025-01-02T00:00:00Z');
const write = (manager: string, now = T0, extra: Partial<WriteContext> = {}): WriteContext => ({
  manager,
  apiVersion: 'v1',
  kind: 'ConfigMap',
  now,
  ...extra,
});

const cm = (data: Record<string, string>, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', namespace: 'default', uid: 'u1', resourceVersion: '1', ...(labels ? { labels } : {}) },
  data,
});

const fieldsOf = (obj: KubeObject, manager: string): unknown =>
  (obj.metadata.managedFields as unknown as JsonObject[] | undefined)?.find((e) => e.manager === manager)?.fieldsV1;

describe('updateManagedFields', () => {
  test('a create owns every field it set, not the server-set metadata', () => {
    const obj = updateManagedFields(undefined, cm({ a: '1' }, { app: 'x' }), write('kubectl-create'));
    assert.deepEqual(obj.metadata.managedFields, [
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2025-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } },
      },
    ]);
  });

  test('an update takes what it changed from others and keeps its earlier fields', () => {
    const created = updateManagedFields(undefined, cm({ a: '1', b: '2' }), write('creator'));
    const edited = updateManagedFields(created, { ...created, data: { a: '1', b: 'two', c: '3' } }, write('editor', T1));
    assert.deepEqual(fieldsOf(edited, 'creator'), { 'f:data': { '.': {}, 'f:a': {} } });
    assert.deepEqual(fieldsOf(edited, 'editor'), { 'f:data': { 'f:b': {}, 'f:c': {} } });
    const again = updateManagedFields(edited, { ...edited, data: { a: 'one', b: 'two', c: '3' } }, write('editor', T1));
    assert.deepEqual(fieldsOf(again, 'editor'), { 'f:data': { 'f:a': {}, 'f:b': {}, 'f:c': {} } });
  });

  test('a write that changes nothing leaves managedFields as they were', () => {
    const created = updateManagedFields(undefined, cm({ a: '1' }), write('creator'));
    const same = updateManagedFields(created, created, write('other', T1));
    assert.deepEqual(same.metadata.managedFields, created.metadata.managedFields);
  });

  test('removed fields leave their owners; an owner of nothing disappears', () => {
    const created = updateManagedFields(undefined, cm({ a: '1' }), write('creator'));
    const withB = updateManagedFields(created, { ...created, data: { a: '1', b: '2' } }, write('b-writer'));
    const removed = updateManagedFields(withB, { ...withB, data: { a: '1' } }, write('remover', T1));
    assert.deepEqual(
      (removed.metadata.managedFields as unknown as JsonObject[]).map((e) => e.manager),
      ['creator'],
    );
  });

  test('one entry per API version for writers', () => {
    const created = updateManagedFields(undefined, cm({ a: '1' }), write('w'));
    const other = updateManagedFields(created, { ...created, data: { a: '1', b: '2' } }, write('w', T1, { apiVersion: 'v2' }));
    assert.deepEqual((other.metadata.managedFields as unknown as JsonObject[]).map((e) => e.apiVersion), ['v1', 'v2']);
  });

  test('managedFields a client sets are the base; [{}] clears them', () => {
    const created = updateManagedFields(undefined, cm({ a: '1' }), write('creator'));
    const supplied = [{ manager: 'migrated', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
    const replaced = updateManagedFields(created, { ...created, metadata: { ...created.metadata, managedFields: supplied } }, write('patcher', T1));
    assert.deepEqual(replaced.metadata.managedFields, supplied);
    const cleared = updateManagedFields(created, { ...created, metadata: { ...created.metadata, managedFields: [{}] } }, write('patcher', T1));
    assert.equal(cleared.metadata.managedFields, undefined);
  });

  test('subresource writers are recorded with their subresource', () => {
    const obj = updateManagedFields(undefined, cm({ a: '1' }), write('kubelet', T0, { subresource: 'status' }));
    assert.equal((obj.metadata.managedFields as unknown as JsonObject[])[0]?.subresource, 'status');
  });

  test('ignored fields are neither taken nor lost', () => {
    const dep = (replicas: number, ready: number): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { replicas },
      status: { readyReplicas: ready },
    });
    const obj = updateManagedFields(undefined, dep(1, 1), { manager: 'm', apiVersion: 'apps/v1', kind: 'Deployment', now: T0, ignoredFields: [['f:status']] });
    assert.deepEqual(fieldsOf(obj, 'm'), { 'f:spec': { 'f:replicas': {} } });
  });
});

describe('managedFields encoding', () => {
  test('Apply entries first, then by time and manager', () => {
    const managers = decodeManagedFields([
      { manager: 'z', operation: 'Update', apiVersion: 'v1', time: '2025-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:a': {} } },
      { manager: 'y', operation: 'Update', apiVersion: 'v1', time: '2024-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:b': {} } },
      { manager: 'x', operation: 'Apply', apiVersion: 'v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:c': {} } },
    ]);
    assert.deepEqual(encodeManagedFields(managers).map((e) => e.manager), ['x', 'y', 'z']);
  });

  test('a bad operation does not decode', () => {
    assert.throws(() => decodeManagedFields([{ manager: 'x', operation: 'Patch' }]), /operation must be Apply or Update/);
  });

  test('unnamed writers are named after their User-Agent', () => {
    assert.equal(managerOrUserAgent('', 'kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07'), 'kubectl');
    assert.equal(managerOrUserAgent('kubectl-label', 'kubectl/v1.32.4'), 'kubectl-label');
  });
});
