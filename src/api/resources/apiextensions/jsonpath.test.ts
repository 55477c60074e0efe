import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseJsonPath } from './jsonpath.js';

const obj = {
  metadata: { name: 'w', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { replicas: 3, ports: [{ port: 80 }, { port: 443 }] },
  status: { conditions: [{ type: 'Available', status: 'False' }, { type: 'Ready', status: 'True' }] },
};

test('fields, indexes, wildcards and filters', () => {
  const find = (path: string): unknown[] => parseJsonPath(path).find(obj);
  assert.deepEqual(find('.spec.replicas'), [3]);
  assert.deepEqual(find('{.metadata.name}'), ['w']);
  assert.deepEqual(find(".metadata.labels['app.kubernetes.io/name']"), ['web']);
  assert.deepEqual(find('.spec.ports[1].port'), [443]);
  assert.deepEqual(find('.spec.ports[-1].port'), [443]);
  assert.deepEqual(find('.spec.ports[*].port'), [80, 443]);
  assert.deepEqual(find('.status.conditions[?(@.type=="Ready")].status'), ['True']);
  assert.deepEqual(find(".status.conditions[?(@.status!='True')].type"), ['Available']);
  assert.deepEqual(find('.spec.missing'), []);
  assert.deepEqual(find('.spec.replicas.deeper'), []);
});

test('paths that are not simple are refused', () => {
  assert.throws(() => parseJsonPath('spec.replicas'), /must be a simple json path starting with \./);
  assert.throws(() => parseJsonPath('.spec[0'), /unclosed/);
  assert.throws(() => parseJsonPath('.spec[?(@.a > 1)]'), /unsupported/);
});
