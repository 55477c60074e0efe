import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalQuantity, compareQuantities, Quantity, QUANTITY_FORMAT_ERROR, QUANTITY_SUFFIX_ERROR } from './quantity.js';

describe('Quantity', () => {
  test('canonical forms, as the API server stores them', () => {
    const cases: [string | number, string][] = [
      ['100m', '100m'],
      ['0.1', '100m'],
      ['1.5', '1500m'],
      ['1', '1'],
      [1, '1'],
      [0.5, '500m'],
      ['1000', '1k'],
      ['1500', '1500'],
      ['2e3', '2e3'],
      ['1E6', '1e6'],
      ['1Gi', '1Gi'],
      ['1024Mi', '1Gi'],
      ['1.5Gi', '1536Mi'],
      ['0.5Gi', '512Mi'],
      ['512Ki', '512Ki'],
      ['1000Ki', '1000Ki'],
      ['0.1Ki', '102400m'],
      ['100Ki', '100Ki'],
      ['1023', '1023'],
      ['128974848', '128974848'],
      ['129e6', '129e6'],
      ['129M', '129M'],
      ['123Mi', '123Mi'],
      ['0', '0'],
      ['0Gi', '0'],
      ['-1.5', '-1500m'],
      ['+5', '5'],
      ['1n', '1n'],
      ['0.0000000001', '1n'],
      ['1.', '1'],
      ['10e-3', '10e-3'],
    ];
    for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, String(input));
  });

  test('values and comparison', () => {
    assert.equal(Quantity.parse('1Gi').value(), 1073741824n);
    assert.equal(Quantity.parse('250m').milliValue(), 250n);
    assert.equal(Quantity.parse('1.5').milliValue(), 1500n);
    assert.equal(Quantity.parse('100m').value(), 1n);
    assert.equal(compareQuantities('1Gi', '1024Mi'), 0);
    assert.equal(compareQuantities('1G', '1Gi'), -1);
    assert.equal(compareQuantities('2', '1500m'), 1);
    assert.equal(Quantity.parse('1').add(Quantity.parse('500m')).toString(), '1500m');
    assert.equal(Quantity.parse('1Gi').sub(Quantity.parse('512Mi')).toString(), '512Mi');
  });

  test('errors as apimachinery words them', () => {
    assert.throws(() => Quantity.parse(''), { message: QUANTITY_FORMAT_ERROR });
    assert.throws(() => Quantity.parse('1x'), { message: QUANTITY_FORMAT_ERROR });
    assert.throws(() => Quantity.parse('1 Gi'), { message: QUANTITY_FORMAT_ERROR });
    assert.throws(() => Quantity.parse('1K'), { message: QUANTITY_SUFFIX_ERROR });
    assert.throws(() => Quantity.parse('1Gib'), { message: QUANTITY_FORMAT_ERROR });
    assert.equal(Quantity.tryParse('abc'), undefined);
  });
});
