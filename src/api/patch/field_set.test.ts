import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FieldSet, keyElement, pathString, valueElement } from './field_set.js';

describe('FieldSet and FieldsV1', () => {
  const fieldsV1 = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} }, 'f:finalizers': { 'v:"a"': {} } },
    'f:spec': {
      'f:replicas': {},
      'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
    },
  };

  test('decodes members: leaves and "." entries', () => {
    const set = FieldSet.fromFieldsV1(fieldsV1);
    assert.equal(set.size, 7);
    assert.ok(set.has(['f:metadata', 'f:labels']));
    assert.ok(set.has(['f:metadata', 'f:labels', 'f:app']));
    assert.ok(!set.has(['f:metadata']));
    assert.ok(set.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}']));
  });

  test('encodes back to the same FieldsV1', () => {
    assert.deepEqual(FieldSet.fromFieldsV1(fieldsV1).toFieldsV1(), fieldsV1);
  });

  test('rejects malformed FieldsV1', () => {
    assert.throws(() => FieldSet.fromFieldsV1({ 'x:y': {} }));
    assert.throws(() => FieldSet.fromFieldsV1({ 'f:a': 1 }));
  });

  test('set algebra', () => {
    const a = new FieldSet([['f:a'], ['f:b']]);
    const b = new FieldSet([['f:b'], ['f:c']]);
    assert.deepEqual(a.union(b).paths().map(pathString).sort(), ['.a', '.b', '.c']);
    assert.deepEqual(a.difference(b).paths(), [['f:a']]);
    assert.deepEqual(a.intersection(b).paths(), [['f:b']]);
    assert.ok(a.equals(new FieldSet([['f:b'], ['f:a']])));
    assert.deepEqual(new FieldSet([['f:s', 'f:x'], ['f:s'], ['f:t']]).withoutPrefix(['f:s']).paths(), [['f:t']]);
  });

  test('withFieldAncestors adds the named fields above members', () => {
    const set = new FieldSet([['f:spec', 'f:containers', 'k:{"name":"a"}', 'f:image']]).withFieldAncestors();
    assert.ok(set.has(['f:spec']));
    assert.ok(set.has(['f:spec', 'f:containers']));
    assert.ok(!set.has(['f:spec', 'f:containers', 'k:{"name":"a"}']), 'list items are not named fields');
  });

  test('paths print as structured-merge-diff prints them', () => {
    assert.equal(pathString(['f:spec', 'f:replicas']), '.spec.replicas');
    assert.equal(
      pathString(['f:spec', 'f:containers', keyElement({ name: 'web' }), 'f:image']),
      '.spec.containers[name="web"].image',
    );
    assert.equal(pathString(['f:ports', keyElement({ protocol: 'TCP', containerPort: 80 })]), '.ports[containerPort=80,protocol="TCP"]');
    assert.equal(pathString(['f:metadata', 'f:finalizers', valueElement('x')]), '.metadata.finalizers[="x"]');
  });
});
