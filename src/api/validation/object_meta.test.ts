import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../errors.js';
import { nameIsDNSLabel, nameIsDNSSubdomain } from './dns.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './object_meta.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

describe('validateObjectMeta', () => {
  test('a valid namespaced object', () => {
    assert.deepEqual(validateObjectMeta({ name: 'web', namespace: 'default', labels: { app: 'web' } }, true, nameIsDNSSubdomain), []);
  });

  test('name or generateName is required', () => {
    assert.deepEqual(messages(validateObjectMeta({ namespace: 'default' }, true, nameIsDNSSubdomain)), [
      'metadata.name: Required value: name or generateName is required',
    ]);
  });

  test('the name follows the kind rule', () => {
    const [err] = validateObjectMeta({ name: 'a.b' }, false, nameIsDNSLabel);
    assert.equal(err && fieldErrorMessage(err), 'metadata.name: Invalid value: "a.b": must not contain dots');
  });

  test('namespace present exactly when namespaced', () => {
    assert.deepEqual(messages(validateObjectMeta({ name: 'x' }, true, nameIsDNSSubdomain)), ['metadata.namespace: Required value']);
    assert.deepEqual(messages(validateObjectMeta({ name: 'x', namespace: 'a' }, false, nameIsDNSSubdomain)), [
      'metadata.namespace: Forbidden: not allowed on this type',
    ]);
  });

  test('owner references and finalizers', () => {
    const errs = messages(
      validateObjectMeta(
        {
          name: 'x',
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true },
            { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'b', uid: '', controller: true },
          ],
          finalizers: ['orphan', 'foregroundDeletion'],
        },
        false,
        nameIsDNSSubdomain,
      ),
    );
    assert.equal(errs[0], 'metadata.ownerReferences.uid: Invalid value: "": must not be empty');
    assert.match(errs[1] ?? '', /Only one reference can have Controller set to true. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/);
    assert.match(errs[2] ?? '', /^metadata.finalizers: Invalid value: .*finalizer orphan and foregroundDeletion cannot be both set$/);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = { name: 'x', namespace: 'a', uid: 'u1', resourceVersion: '5', creationTimestamp: '2024-01-01T00:00:00Z' };

  test('identity fields are immutable', () => {
    const errs = messages(validateObjectMetaUpdate({ ...old, name: 'y', uid: 'u2' }, old));
    assert.deepEqual(errs, [
      'metadata.name: Invalid value: "y": field is immutable',
      'metadata.uid: Invalid value: "u2": field is immutable',
    ]);
  });

  test('resourceVersion is required and no finalizers may be added while deleting', () => {
    const deleting = { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a'] };
    const errs = messages(validateObjectMetaUpdate({ ...deleting, resourceVersion: '', finalizers: ['a', 'b'] }, deleting));
    assert.deepEqual(errs, [
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b"}',
      'metadata.resourceVersion: Invalid value: "": must be specified for an update',
    ]);
  });
});
