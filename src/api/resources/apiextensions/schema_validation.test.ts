import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../errors.js';
import type { JSONSchema } from './json_schema.js';
import { validateAgainstSchema } from './schema_validation.js';

const schema: JSONSchema = {
  type: 'object',
  properties: {
    metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 5 } } },
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { type: 'integer', minimum: 1, maximum: 1000000 },
        ratio: { type: 'number', exclusiveMaximum: true, maximum: 1 },
        color: { type: 'string', enum: ['red', 'green'] },
        port: { 'x-kubernetes-int-or-string': true },
        note: { type: 'string', nullable: true, minLength: 2 },
        when: { type: 'string', format: 'date-time' },
        items: { type: 'array', minItems: 1, items: { type: 'object', properties: { n: { type: 'integer' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

const messages = (value: unknown): string[] => validateAgainstSchema(value, schema).map(fieldErrorMessage);

test('a valid object has no errors', () => {
  const obj = { metadata: { name: 'ok' }, spec: { size: 3, ratio: 0.5, color: 'red', port: 'http', note: null, when: '2024-01-02T03:04:05Z', items: [{ n: 1 }], labels: { a: 'b' } } };
  assert.deepEqual(messages(obj), []);
  assert.deepEqual(messages({ metadata: {}, spec: { size: 1, port: 8080 } }), []);
});

test('errors are worded as kube-apiserver words them', () => {
  assert.deepEqual(messages({ spec: { size: 2000000, ratio: 1, color: 'pink' } }), [
    'spec.size: Invalid value: 2000000: spec.size in body should be less than or equal to 1e+06',
    'spec.ratio: Invalid value: 1: spec.ratio in body should be less than 1',
    'spec.color: Unsupported value: "pink": supported values: "red", "green"',
  ]);
  assert.deepEqual(messages({ spec: {} }), ['spec.size: Required value']);
  assert.deepEqual(messages({ spec: { size: 'x' } }), ['spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"']);
  assert.deepEqual(messages({ spec: { size: 1.5 } }), ['spec.size: Invalid value: "number": spec.size in body must be of type integer: "number"']);
  assert.deepEqual(messages({ spec: { size: 1, port: true } }), [
    'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
  ]);
  assert.deepEqual(messages({ spec: { size: 1, note: 'x', when: 'yesterday' } }), [
    'spec.note: Invalid value: "x": spec.note in body should be at least 2 chars long',
    'spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"',
  ]);
  assert.deepEqual(messages({ spec: { size: 1, items: [] } }), ['spec.items: Invalid value: 0: spec.items in body should have at least 1 items']);
  assert.deepEqual(messages({ spec: { size: 1, items: [{ n: 'a' }], labels: { a: 1 } } }), [
    'spec.items[0].n: Invalid value: "string": spec.items[0].n in body must be of type integer: "string"',
    'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
  ]);
  assert.deepEqual(messages({ metadata: { name: 'toolong' }, spec: { size: 1 } }), ['metadata.name: Too long: may not be more than 5 bytes']);
});

test('type errors carry the TypeInvalid reason', () => {
  const [error] = validateAgainstSchema({ spec: { size: 'x' } }, schema);
  assert.equal(error?.type, 'TypeInvalid');
});
