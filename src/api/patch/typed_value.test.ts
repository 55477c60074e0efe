import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pathString } from './field_set.js';
import { objectType } from './managed_fields.js';
import { compareValues, mergeValues, toFieldSet } from './typed_value.js';

const DEPLOYMENT = objectType('apps/v1', 'Deployment');
const containers = (names: string[]) => ({ spec: { template: { spec: { containers: names.map((name) => ({ name })) } } } });
const namesOf = (v: unknown): string[] =>
  ((v as ReturnType<typeof containers>).spec.template.spec.containers as { name: string }[]).map((c) => c.name);

describe('server-side apply merge of associative lists', () => {
  test('live-only items first when reached, shared items in config order, new ones after their predecessor', () => {
    assert.deepEqual(namesOf(mergeValues(containers(['A', 'X', 'B']), containers(['C', 'B', 'A']), DEPLOYMENT)), ['X', 'C', 'B', 'A']);
    assert.deepEqual(namesOf(mergeValues(containers(['A', 'B']), containers(['C', 'A']), DEPLOYMENT)), ['C', 'A', 'B']);
    assert.deepEqual(namesOf(mergeValues(containers(['web']), containers(['side']), DEPLOYMENT)), ['web', 'side']);
  });

  test('atomic lists and atomic structs are replaced; maps merge', () => {
    const live = { spec: { selector: { matchLabels: { a: '1' } }, template: { spec: { tolerations: [{ key: 'a' }], nodeSelector: { x: '1' } } } }, metadata: { labels: { a: '1' } } };
    const config = { spec: { selector: { matchLabels: { b: '2' } }, template: { spec: { tolerations: [{ key: 'b' }], nodeSelector: { y: '2' } } } }, metadata: { labels: { b: '2' } } };
    assert.deepEqual(mergeValues(live, config, DEPLOYMENT), {
      spec: { selector: { matchLabels: { b: '2' } }, template: { spec: { tolerations: [{ key: 'b' }], nodeSelector: { y: '2' } } } },
      metadata: { labels: { a: '1', b: '2' } },
    });
  });
});

describe('field sets of values', () => {
  test('leaves, map entries and list items are members; structs are not', () => {
    const set = toFieldSet({ metadata: { labels: { a: '1' } }, spec: { replicas: 1, selector: { matchLabels: { a: '1' } }, template: {} } }, DEPLOYMENT);
    assert.deepEqual(set.paths().map(pathString).sort(), ['.metadata.labels.a', '.spec.replicas', '.spec.selector', '.spec.template']);
  });

  test('compare finds added, removed and modified fields', () => {
    const c = compareValues({ spec: { replicas: 1, paused: true } }, { spec: { replicas: 2, minReadySeconds: 5 } }, DEPLOYMENT);
    assert.deepEqual(c.modified.paths().map(pathString), ['.spec.replicas']);
    assert.deepEqual(c.added.paths().map(pathString), ['.spec.minReadySeconds']);
    assert.deepEqual(c.removed.paths().map(pathString), ['.spec.paused']);
  });
});
