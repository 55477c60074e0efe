import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStatusError } from './errors.js';
import { checkFieldSelector, fieldRequiresExactMatch, fieldSelectorMatches, formatFieldSelector, parseFieldSelector } from './fields.js';
import type { KubeObject } from './object.js';

const podType = {
  namespaced: true,
  fieldSelectors: {
    'spec.nodeName': (o: KubeObject) => (o.spec as { nodeName?: string } | undefined)?.nodeName,
    'status.phase': (o: KubeObject) => (o.status as { phase?: string } | undefined)?.phase,
  },
};
const pod: KubeObject = { metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };

function badRequestMessage(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    assert.ok(isStatusError(err, 'BadRequest'), String(err));
    return err.message;
  }
  assert.fail('expected a BadRequest');
}

describe('field selectors', () => {
  test('parse and match', () => {
    const cases: [string, boolean][] = [
      ['', true],
      ['metadata.name=web', true],
      ['metadata.name==web', true],
      ['metadata.name!=web', false],
      ['metadata.namespace=default,spec.nodeName=n1', true],
      ['spec.nodeName=n2', false],
      ['status.phase!=Pending', true],
      ['spec.nodeName=', false],
    ];
    for (const [sel, want] of cases) assert.equal(fieldSelectorMatches(parseFieldSelector(sel), pod, podType), want, sel);
    assert.equal(fieldSelectorMatches(parseFieldSelector('spec.nodeName='), { metadata: { name: 'x' } }, podType), true);
  });

  test('escapes', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d');
    assert.equal(s.requirements[0]?.value, 'a,b=c\\d');
    assert.equal(formatFieldSelector(s), 'metadata.name=a\\,b\\=c\\\\d');
    assert.equal(badRequestMessage(() => parseFieldSelector('a=b\\x')), 'invalid field selector: invalid escape sequence: \\x');
    assert.equal(badRequestMessage(() => parseFieldSelector('a=b=c')), 'invalid field selector: unescaped character in value: 61');
    assert.equal(badRequestMessage(() => parseFieldSelector('a')), "invalid selector: 'a'; can't understand 'a'");
  });

  test('unsupported fields, worded per kind', () => {
    assert.equal(
      badRequestMessage(() => checkFieldSelector(parseFieldSelector('spec.foo=x'), podType)),
      'field label not supported: spec.foo',
    );
    assert.equal(
      badRequestMessage(() => checkFieldSelector(parseFieldSelector('spec.foo=x'), { namespaced: true })),
      '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    checkFieldSelector(parseFieldSelector('metadata.namespace=a,metadata.name=b'), { namespaced: true });
    assert.equal(
      badRequestMessage(() => checkFieldSelector(parseFieldSelector('metadata.namespace=a'), { namespaced: false, fieldSelectors: {} })),
      'field label not supported: metadata.namespace',
    );
  });

  test('exact matches narrow lists', () => {
    assert.equal(fieldRequiresExactMatch(parseFieldSelector('spec.nodeName=n1'), 'spec.nodeName'), 'n1');
    assert.equal(fieldRequiresExactMatch(parseFieldSelector('spec.nodeName!=n1'), 'spec.nodeName'), undefined);
  });
});
