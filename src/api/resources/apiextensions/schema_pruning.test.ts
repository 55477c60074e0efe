import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JSONSchema } from './json_schema.js';
import { pruneObject } from './schema_pruning.js';

const schema: JSONSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        a: { type: 'string' },
        list: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } } },
        map: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'integer' } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { known: { type: 'object' } } },
        port: { 'x-kubernetes-int-or-string': true },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object' } } },
      },
    },
  },
};

test('unknown fields are dropped, type metadata and preserved subtrees kept', () => {
  const obj = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', labels: { a: 'b' } },
    top: 1,
    spec: {
      a: 'x',
      b: 'dropped',
      list: [{ k: 'v', extra: 1 }],
      map: { one: { v: 1, w: 2 } },
      free: { anything: [1], known: { inner: true } },
      port: 80,
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 1 }, junk: 1 },
    },
  };
  pruneObject(obj, schema);
  assert.deepEqual(obj, {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w', labels: { a: 'b' } },
    spec: {
      a: 'x',
      list: [{ k: 'v' }],
      map: { one: { v: 1 } },
      free: { anything: [1], known: {} },
      port: 80,
      template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} },
    },
  });
});
