import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StatusError } from '../errors.js';
import { applyMergePatch, mergePatchValue } from './merge_patch.js';

describe('JSON merge patch (RFC 7386)', () => {
  // The examples of RFC 7386 appendix A.
  const cases: [unknown, unknown, unknown][] = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  cases.forEach(([target, patch, want], i) => {
    test(`RFC 7386 example ${i + 1}`, () => assert.deepEqual(mergePatchValue(target, patch), want));
  });

  test('kubectl label and scale bodies', () => {
    const obj = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1 } };
    const labelled = applyMergePatch(obj, '{"metadata":{"labels":{"a":"b"}}}');
    assert.deepEqual(labelled.metadata, { name: 'web', labels: { app: 'web', a: 'b' } });
    assert.deepEqual(applyMergePatch(obj, '{"spec":{"replicas":3}}').spec, { replicas: 3 });
    assert.deepEqual(obj.metadata.labels, { app: 'web' }, 'input unchanged');
  });

  test('nulls inside a new object are dropped, null array items stay', () => {
    assert.deepEqual(mergePatchValue({}, { a: { b: null, c: [null, { d: null }] } }), { a: { c: [null, {}] } });
  });

  test('a body that is not a JSON object is 400 Invalid JSON Patch', () => {
    for (const body of ['nope', '[1]', '1']) {
      assert.throws(
        () => applyMergePatch({ metadata: {} }, body),
        (err: unknown) => err instanceof StatusError && err.code === 400 && err.status.message === 'Invalid JSON Patch',
      );
    }
  });
});
