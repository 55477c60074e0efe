import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JSONSchema } from './json_schema.js';
import { applyDefaults } from './schema_defaulting.js';

const schema: JSONSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      default: {},
      properties: {
        replicas: { type: 'integer', default: 1 },
        mode: { type: 'string', default: 'fast' },
        note: { type: 'string', nullable: true, default: 'n' },
        ports: { type: 'array', items: { type: 'object', properties: { protocol: { type: 'string', default: 'TCP' } } } },
      },
    },
  },
};

test('missing fields get their defaults, then the defaults inside them', () => {
  const obj: Record<string, unknown> = { metadata: { name: 'w' } };
  applyDefaults(obj, schema);
  assert.deepEqual(obj, { metadata: { name: 'w' }, spec: { replicas: 1, mode: 'fast', note: 'n' } });
});

test('nulls are defaulted or dropped unless nullable; items are defaulted', () => {
  const obj: Record<string, unknown> = { spec: { replicas: null, mode: 'slow', note: null, ports: [{}, { protocol: 'UDP' }] } };
  applyDefaults(obj, schema);
  assert.deepEqual(obj, { spec: { replicas: 1, mode: 'slow', note: null, ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }] } });
});

test('defaults are copies', () => {
  const a: Record<string, unknown> = {};
  const b: Record<string, unknown> = {};
  applyDefaults(a, schema);
  applyDefaults(b, schema);
  (a.spec as Record<string, unknown>).mode = 'changed';
  assert.equal((b.spec as Record<string, unknown>).mode, 'fast');
  assert.deepEqual(schema.properties?.spec?.default, {});
});
