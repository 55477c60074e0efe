import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FieldPath, fieldErrorMessage, isStatusError } from './errors.js';
import {
  formatLabels,
  formatLabelSelector,
  labelSelectorFromSelector,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorFromSet,
  validateLabelSelector,
} from './labels.js';

/** The message of the BadRequest parseLabelSelector throws for `input`. */
function parseError(input: string): string {
  try {
    parseLabelSelector(input);
  } catch (err) {
    assert.ok(isStatusError(err, 'BadRequest'), String(err));
    assert.equal(err.code, 400);
    return err.message;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseLabelSelector', () => {
  test('parses every operator and prints canonically, sorted by key', () => {
    const s = parseLabelSelector('z=1, y==2,x!=3,w in (b,a),v notin (c),u,!t');
    assert.equal(s.toString(), '!t,u,v notin (c),w in (a,b),x!=3,y==2,z=1');
  });

  test('matches labels', () => {
    const labels = { app: 'web', tier: 'front' };
    const cases: [string, boolean][] = [
      ['', true],
      ['app=web', true],
      ['app==web', true],
      ['app=db', false],
      ['app!=db', true],
      ['missing!=x', true],
      ['app in (web,db)', true],
      ['app notin (web)', false],
      ['missing notin (web)', true],
      ['tier', true],
      ['!tier', false],
      ['!missing', true],
      ['app=web,tier=back', false],
      ['app in (in, notin)', false],
      ['x=', false],
    ];
    for (const [sel, want] of cases) assert.equal(parseLabelSelector(sel).matches(labels), want, sel);
    assert.equal(parseLabelSelector('x=').matches({ x: '' }), true);
    assert.equal(parseLabelSelector('n>3').matches({ n: '4' }), true);
    assert.equal(parseLabelSelector('n<3').matches({ n: '4' }), false);
  });

  test('empty values in sets', () => {
    assert.equal(parseLabelSelector('a in ()').toString(), 'a in ()');
    assert.equal(parseLabelSelector('a in (,b)').toString(), 'a in (,b)');
  });

  test('errors as kube-apiserver words them', () => {
    assert.equal(
      parseError('a@b=c'),
      "unable to parse requirement: <nil>: Invalid value: \"a@b\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName' or 'my.name' or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
    assert.match(parseError('a=b@'), /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "b@": a valid label must be an empty string/);
    assert.equal(parseError('a b'), "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt");
    assert.equal(parseError('a=b c'), "found 'c', expected: ',' or 'end of string'");
    assert.equal(parseError(',a'), "found ',', expected: !, identifier, or 'end of string'");
    assert.equal(parseError('a,'), "found '', expected: identifier after ','");
    assert.equal(parseError('a in b'), "unable to parse requirement: found 'b' expected: '('");
    assert.equal(parseError('a in (b'), "unable to parse requirement: found '', expected: ',' or ')'");
    assert.equal(parseError('a=(b)'), "unable to parse requirement: found '(', expected: identifier");
  });
});

describe('metav1.LabelSelector', () => {
  test('conversion, matching and formatting', () => {
    const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] };
    const s = selectorFromLabelSelector(sel);
    assert.equal(s.toString(), 'app=web,env in (dev,prod)');
    assert.equal(s.matches({ app: 'web', env: 'dev' }), true);
    assert.equal(s.matches({ app: 'web' }), false);
    assert.equal(formatLabelSelector(sel), 'app=web,env in (dev,prod)');
    assert.equal(formatLabelSelector({}), '<none>');
    assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bad' }] }), '<error>');
    assert.deepEqual(labelSelectorFromSelector(s), {
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }],
    });
  });

  test('absent matches nothing, empty matches everything', () => {
    assert.equal(selectorFromLabelSelector(undefined).matches({}), false);
    assert.equal(selectorFromLabelSelector({}).matches({ a: 'b' }), true);
    assert.equal(selectorFromSet({}).matches({ a: 'b' }), true);
  });

  test('labels format sorted, <none> when empty', () => {
    assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
    assert.equal(formatLabels({}), '<none>');
  });

  test('validation', () => {
    const errs = validateLabelSelector(
      { matchExpressions: [{ key: 'a', operator: 'In' }, { key: 'b', operator: 'Exists', values: ['x'] }, { key: 'c', operator: 'Is' }] },
      FieldPath.root('spec').child('selector'),
    ).map(fieldErrorMessage);
    assert.deepEqual(errs, [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Is": not a valid selector operator',
    ]);
  });
});
