import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FieldPath, fieldErrorMessage } from '../../errors.js';
import type { JSONSchema } from './json_schema.js';
import { validateCRDSchema } from './structural_schema.js';

const check = (schema: JSONSchema): string[] => validateCRDSchema(schema, FieldPath.root('schema')).map(fieldErrorMessage);

test('a structural schema passes', () => {
  assert.deepEqual(
    check({
      type: 'object',
      properties: {
        metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 10 } } },
        spec: {
          type: 'object',
          properties: {
            port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
            free: { 'x-kubernetes-preserve-unknown-fields': true },
            tags: { type: 'array', items: { type: 'string' } },
            mode: { type: 'string', enum: ['a', 'b'], default: 'a' },
          },
        },
      },
    }),
    [],
  );
});

test('the structural rules, in Kubernetes words', () => {
  assert.deepEqual(check({ properties: { spec: { type: 'array' } } }), [
    'schema.type: Required value: must not be empty at the root',
    'schema.properties[spec].items: Required value: must be specified',
  ]);
  assert.deepEqual(check({ type: 'object', properties: { a: { properties: { b: { type: 'string' } }, additionalProperties: { type: 'string' } } } }), [
    'schema.properties[a].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive',
    'schema.properties[a].type: Required value: must not be empty for specified object fields',
  ]);
  assert.deepEqual(check({ type: 'object', properties: { a: { type: 'string', 'x-kubernetes-int-or-string': true } } }), [
    'schema.properties[a].type: Invalid value: "string": must be empty if x-kubernetes-int-or-string is true',
  ]);
  assert.deepEqual(check({ type: 'object', properties: { t: { type: 'string', 'x-kubernetes-embedded-resource': true } } }), [
    'schema.properties[t].type: Invalid value: "string": must be object if x-kubernetes-embedded-resource is true',
    'schema.properties[t].properties: Required value: must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields',
  ]);
  assert.deepEqual(check({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }), [
    'schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
  ]);
  assert.deepEqual(check({ type: 'object', properties: { a: { type: 'string', $ref: '#/x' } }, 'x-kubernetes-preserve-unknown-fields': false }), [
    'schema.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined',
    'schema.properties[a].$ref: Forbidden: $ref is not supported',
  ]);
  assert.deepEqual(check({ type: 'object', properties: { a: { type: 'string', anyOf: [{ type: 'string' }] } } }), [
    'schema.properties[a].anyOf[0].type: Forbidden: must be empty to be structural',
  ]);
});

test('defaults must be valid and pruned', () => {
  assert.deepEqual(check({ type: 'object', properties: { mode: { type: 'string', enum: ['a'], default: 'b' } } }), [
    'schema.properties[mode].default: Unsupported value: "b": supported values: "a"',
  ]);
  assert.deepEqual(check({ type: 'object', properties: { o: { type: 'object', properties: { x: { type: 'string' } }, default: { y: 1 } } } }), [
    'schema.properties[o].default: Invalid value: {"y":1}: must not have unknown fields',
  ]);
});
