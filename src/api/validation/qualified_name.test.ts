import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldErrorMessage } from '../errors.js';
import { isQualifiedName, isValidLabelValue, validateAnnotations, validateLabels } from './qualified_name.js';

const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName' or 'my.name' or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('qualified names', () => {
  test('accepts names with and without a prefix', () => {
    for (const ok of ['app', 'App.Name_1', 'example.com/app', 'kubernetes.io/hostname', 'a'.repeat(63)]) {
      assert.deepEqual(isQualifiedName(ok), [], ok);
    }
  });

  test('reports the name part and the prefix part', () => {
    assert.deepEqual(isQualifiedName('-app'), [NAME_PART]);
    assert.deepEqual(isQualifiedName('example.com/'), ['name part must be non-empty', NAME_PART]);
    assert.deepEqual(isQualifiedName('/app'), ['prefix part must be non-empty']);
    assert.equal(isQualifiedName('Example.com/app')[0]?.startsWith('prefix part a lowercase RFC 1123 subdomain'), true);
    assert.deepEqual(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']);
    assert.match(isQualifiedName('a/b/c')[0] ?? '', /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e\.g\. 'example\.com\/MyName'\)$/);
  });

  test('label values', () => {
    assert.deepEqual(isValidLabelValue(''), []);
    assert.deepEqual(isValidLabelValue('v1.2_3-x'), []);
    assert.deepEqual(isValidLabelValue('a b'), [
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue' or 'my_value' or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ]);
    assert.deepEqual(isValidLabelValue('a'.repeat(64)), ['must be no more than 63 characters']);
  });

  test('labels and annotations report at the map path', () => {
    const errs = validateLabels({ 'bad key!': 'ok', good: 'bad value!' }, 'metadata.labels');
    assert.equal(errs.length, 2);
    assert.ok(fieldErrorMessage(errs[0]!).startsWith('metadata.labels: Invalid value: "bad key!": name part must consist'));
    assert.ok(fieldErrorMessage(errs[1]!).startsWith('metadata.labels: Invalid value: "bad value!": a valid label must'));
    assert.deepEqual(validateAnnotations({ 'Example.COM/Key': 'x' }, 'metadata.annotations'), []);
    const big = validateAnnotations({ a: 'x'.repeat(256 * 1024) }, 'metadata.annotations');
    assert.equal(fieldErrorMessage(big[0]!), 'metadata.annotations: Too long: may not be more than 262144 bytes');
  });
});
