/**
 * The checks apiextensions.k8s.io/v1 makes on a CRD version's openAPIV3Schema: the keywords a
 * CRD schema may not use, and the structural-schema rules (a type for every specified node,
 * items for arrays, properties and additionalProperties exclusive, the x-kubernetes-* extension
 * rules, metadata limited to name and generateName at the root), then every default checked
 * against its own schema. Messages are Kubernetes' (pkg/apis/apiextensions/validation and
 * pkg/apiserver/schema/validation.go).
 */
import { FieldPath, type FieldError } from '../../errors.js';
import { forbidden, invalidValue, jsonEqual, required } from '../../validation/field.js';
import { additionalPropertiesSchema, isPlainObject, itemsSchema, type JSONSchema } from './json_schema.js';
import { pruneValue } from './schema_pruning.js';
import { validateAgainstSchema } from './schema_validation.js';

type Level = 'root' | 'field' | 'item';

/** Keywords JSONSchemaProps has but CRDs refuse, with Kubernetes' reasons. */
const UNSUPPORTED: readonly [string, string][] = [
  ['$ref', '$ref is not supported'],
  ['id', 'id is not supported'],
  ['additionalItems', 'additionalItems is not supported'],
  ['patternProperties', 'patternProperties is not supported'],
  ['definitions', 'definitions is not supported'],
  ['dependencies', 'dependencies is not supported'],
];

/** Keywords a value validation (allOf, anyOf, oneOf, not) may not set in a structural schema. */
const STRUCTURE_ONLY = [
  'type',
  'default',
  'nullable',
  'additionalProperties',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
];

/** Every problem of a v1 CRD version's schema, under `path` (`spec.versions[0].schema.openAPIV3Schema`). */
export function validateCRDSchema(schema: JSONSchema, path: FieldPath): FieldError[] {
  const errors: FieldError[] = [];
  checkNode(schema, path, 'root', errors);
  if (errors.length === 0) checkDefaults(schema, path, errors);
  return errors;
}

function checkNode(s: JSONSchema, path: FieldPath, level: Level, errors: FieldError[]): void {
  for (const [keyword, why] of UNSUPPORTED) if (s[keyword] !== undefined) errors.push(forbidden(path.child(keyword), why));
  if (s.uniqueItems === true) {
    errors.push(forbidden(path.child('uniqueItems'), 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  }
  if (s.type === 'null') errors.push(forbidden(path.child('type'), 'type cannot be set to null, use nullable as an alternative'));
  if (Array.isArray(s.items)) errors.push(forbidden(path.child('items'), 'items must be a schema object and not an array'));
  if (s['x-kubernetes-preserve-unknown-fields'] === false) {
    errors.push(invalidValue(path.child('x-kubernetes-preserve-unknown-fields'), false, 'must be true or undefined'));
  }
  const props = s.properties ?? {};
  const hasProps = Object.keys(props).length > 0;
  if (s.additionalProperties !== undefined && hasProps && s.additionalProperties !== true) {
    errors.push(forbidden(path.child('additionalProperties'), 'additionalProperties and properties are mutual exclusive'));
  }
  checkStructure(s, path, level, errors);
  for (const [key, prop] of Object.entries(props)) checkNode(prop, path.child('properties').key(key), 'field', errors);
  const additional = additionalPropertiesSchema(s);
  if (additional) checkNode(additional, path.child('additionalProperties'), 'field', errors);
  const items = itemsSchema(s);
  if (items) checkNode(items, path.child('items'), 'item', errors);
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    s[keyword]?.forEach((sub, i) => checkValueValidation(sub, path.child(keyword).index(i), s, errors));
  }
  if (s.not) checkValueValidation(s.not, path.child('not'), s, errors);
}

/** The structural rules of one node (validateStructuralInvariants). */
function checkStructure(s: JSONSchema, path: FieldPath, level: Level, errors: FieldError[]): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const embedded = s['x-kubernetes-embedded-resource'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (intOrString && s.type) errors.push(invalidValue(path.child('type'), s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  if (intOrString && preserve) {
    errors.push(invalidValue(path.child('x-kubernetes-preserve-unknown-fields'), true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  if (intOrString && embedded) {
    errors.push(invalidValue(path.child('x-kubernetes-embedded-resource'), true, 'must be false if x-kubernetes-int-or-string is true'));
  }
  if (s.type === 'array' && !s.items) errors.push(required(path.child('items'), 'must be specified'));
  if (embedded && s.type !== 'object') {
    if (!s.type) errors.push(required(path.child('type'), 'must be object if x-kubernetes-embedded-resource is true'));
    else errors.push(invalidValue(path.child('type'), s.type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!s.type && !intOrString && !(preserve && level !== 'root')) {
    const where = { root: 'at the root', item: 'for specified array items', field: 'for specified object fields' }[level];
    errors.push(required(path.child('type'), `must not be empty ${where}`));
  }
  if (embedded && s.additionalProperties !== undefined) {
    errors.push(forbidden(path.child('additionalProperties'), 'must not be used if x-kubernetes-embedded-resource is set'));
  }
  if (embedded && !preserve && Object.keys(s.properties ?? {}).length === 0) {
    errors.push(required(path.child('properties'), 'must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields'));
  }
  if (level === 'root') checkRoot(s, path, errors);
}

function checkRoot(s: JSONSchema, path: FieldPath, errors: FieldError[]): void {
  if (s.type && s.type !== 'object') errors.push(invalidValue(path.child('type'), s.type, 'must be object at the root'));
  if (s.additionalProperties !== undefined && s.additionalProperties !== true) {
    errors.push(forbidden(path.child('additionalProperties'), 'must not be used at the root'));
  }
  for (const key of ['kind', 'apiVersion']) {
    const prop = s.properties?.[key];
    if (prop && prop.type !== 'string') errors.push(invalidValue(path.child('properties').key(key).child('type'), prop.type ?? '', 'must be string'));
  }
  const metadata = s.properties?.metadata;
  if (metadata) {
    const { type: _type, properties, ...rest } = metadata;
    const extra = Object.keys(properties ?? {}).filter((k) => k !== 'name' && k !== 'generateName');
    const others = Object.keys(rest).filter((k) => k !== 'description');
    if (extra.length > 0 || others.length > 0) {
      errors.push(
        forbidden(path.child('properties').key('metadata'), 'must not specify anything other than name and generateName, but metadata is implicitly specified'),
      );
    }
  }
}

/** Inside allOf/anyOf/oneOf/not only value validations may appear (with the int-or-string exception). */
function checkValueValidation(s: JSONSchema, path: FieldPath, parent: JSONSchema, errors: FieldError[]): void {
  const intOrStringBranch = parent['x-kubernetes-int-or-string'] === true && (s.type === 'integer' || s.type === 'string');
  for (const keyword of STRUCTURE_ONLY) {
    if (s[keyword] === undefined || (keyword === 'type' && intOrStringBranch)) continue;
    errors.push(forbidden(path.child(keyword), 'must be empty to be structural'));
  }
  for (const [key, prop] of Object.entries(s.properties ?? {})) {
    checkValueValidation(prop, path.child('properties').key(key), {}, errors);
  }
  const items = itemsSchema(s);
  if (items) checkValueValidation(items, path.child('items'), {}, errors);
}

/** Every default must be pruned already and valid against its schema. */
function checkDefaults(s: JSONSchema, path: FieldPath, errors: FieldError[]): void {
  if (s.default !== undefined) {
    const where = path.child('default');
    const value = structuredClone(s.default);
    if (isPlainObject(value) || Array.isArray(value)) {
      pruneValue(value, s);
      if (!jsonEqual(value, s.default)) errors.push(invalidValue(where, s.default, 'must not have unknown fields'));
    }
    errors.push(...validateAgainstSchema(s.default, s, String(where)));
  }
  for (const [key, prop] of Object.entries(s.properties ?? {})) checkDefaults(prop, path.child('properties').key(key), errors);
  const additional = additionalPropertiesSchema(s);
  if (additional) checkDefaults(additional, path.child('additionalProperties'), errors);
  const items = itemsSchema(s);
  if (items) checkDefaults(items, path.child('items'), errors);
}
