import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyJsonPatch, applyJsonPatchOperations, parsePointer } from './json_patch.js';
import { thrownStatus } from '../../../test/support/status_error.js';

const doc = () => ({ metadata: { name: 'web', labels: { 'a/b': '1', 'c~d': '2' } }, spec: { list: ['x', 'y', 'z'] } });


describe('JSON pointer', () => {
  test('unescapes ~1 and ~0, in that order', () => {
    assert.deepEqual(parsePointer('/metadata/labels/a~1b'), ['metadata', 'labels', 'a/b']);
    assert.deepEqual(parsePointer('/c~0d'), ['c~d']);
    assert.deepEqual(parsePointer('/~01'), ['~1']);
    assert.deepEqual(parsePointer(''), []);
  });
});

describe('JSON patch operations (RFC 6902)', () => {
  test('add, replace and remove keys with escaped pointers', () => {
    const out = applyJsonPatchOperations(doc(), [
      { op: 'add', path: '/metadata/labels/e~1f', value: '3' },
      { op: 'replace', path: '/metadata/labels/a~1b', value: 'one' },
      { op: 'remove', path: '/metadata/labels/c~0d' },
    ]);
    assert.deepEqual(out, { metadata: { name: 'web', labels: { 'a/b': 'one', 'e/f': '3' } }, spec: { list: ['x', 'y', 'z'] } });
  });

  test('add inserts into arrays; "-" appends; negative indices count from the end', () => {
    const out = applyJsonPatchOperations(doc(), [
      { op: 'add', path: '/spec/list/1', value: 'new' },
      { op: 'add', path: '/spec/list/-', value: 'last' },
      { op: 'remove', path: '/spec/list/-1' },
    ]) as ReturnType<typeof doc>;
    assert.deepEqual(out.spec.list, ['x', 'new', 'y', 'z']);
  });

  test('move and copy', () => {
    const out = applyJsonPatchOperations(doc(), [
      { op: 'copy', from: '/metadata/name', path: '/spec/name' },
      { op: 'move', from: '/spec/list/0', path: '/spec/first' },
    ]) as Record<string, Record<string, unknown>>;
    assert.equal(out.spec?.name, 'web');
    assert.equal(out.spec?.first, 'x');
    assert.deepEqual(out.spec?.list, ['y', 'z']);
  });

  test('test passes on equal values (key order ignored) and a missing path against null', () => {
    const out = applyJsonPatchOperations(doc(), [
      { op: 'test', path: '/metadata/labels', value: { 'c~d': '2', 'a/b': '1' } },
      { op: 'test', path: '/metadata/missing', value: null },
    ]);
    assert.deepEqual(out, doc());
  });

  test('replacing the root replaces the document; the input is never changed', () => {
    const input = doc();
    const out = applyJsonPatchOperations(input, [{ op: 'replace', path: '', value: { a: 1 } }]);
    assert.deepEqual(out, { a: 1 });
    assert.deepEqual(input, doc());
  });
});

describe('JSON patch errors, as kube-apiserver answers them', () => {
  const generic = 'the server rejected our request due to an error in our request';
  for (const [name, ops] of [
    ['a failed test', [{ op: 'test', path: '/metadata/name', value: 'other' }]],
    ['a missing path on add', [{ op: 'add', path: '/nope/deeper', value: 1 }]],
    ['remove of a missing key', [{ op: 'remove', path: '/metadata/nope' }]],
    ['replace of a missing key', [{ op: 'replace', path: '/metadata/nope', value: 1 }]],
    ['an index out of range', [{ op: 'add', path: '/spec/list/9', value: 1 }]],
    ['an unknown op', [{ op: 'frobnicate', path: '/a' }]],
  ] as const) {
    test(`${name} is 422 Invalid with the generic message`, () => {
      const err = thrownStatus(() => applyJsonPatch(doc(), JSON.stringify(ops)));
      assert.equal(err.code, 422);
      assert.equal(err.reason, 'Invalid');
      assert.equal(err.status.message, generic);
      assert.deepEqual(err.status.details, {});
    });
  }

  test('a body that is not a list is 400 BadRequest', () => {
    const err = thrownStatus(() => applyJsonPatch(doc(), '{"op":"add"}'));
    assert.equal(err.code, 400);
    assert.equal(err.status.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  });

  test('a body that is not JSON is 400', () => {
    assert.equal(thrownStatus(() => applyJsonPatch(doc(), '[{')).code, 400);
  });

  test('more than 10000 operations is 413', () => {
    const ops = Array.from({ length: 10001 }, () => ({ op: 'test', path: '/metadata/name', value: 'web' }));
    assert.equal(thrownStatus(() => applyJsonPatch(doc(), JSON.stringify(ops))).code, 413);
  });
});

describe('kubectl rollout undo', () => {
  test('replaces /spec/template and /metadata/annotations', () => {
    const deployment = {
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:2' }] } } },
    };
    const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1' }] } };
    const out = applyJsonPatch(
      deployment,
      JSON.stringify([
        { op: 'replace', path: '/spec/template', value: template },
        { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3' } },
      ]),
    );
    assert.deepEqual(out, {
      metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '3' } },
      spec: { replicas: 1, template },
    });
  });
});
