/**
 * Validation of a custom resource against its CRD version's structural schema, with the field
 * errors kube-apiserver gives (kube-openapi's validator, converted to field errors the way
 * apiextensions-apiserver does): `spec.replicas: Invalid value: "string": spec.replicas in body
 * must be of type integer: "string"`, `spec.color: Unsupported value: "pink": supported values:
 * "red", "green"`, `spec.size: Required value`. Pure; callers prune and default first.
 */
import type { FieldError } from '../../errors.js';
import { invalidValue, notSupported, required, tooLong, tooMany, jsonEqual } from '../../validation/field.js';
import {
  additionalPropertiesSchema,
  goFloat,
  isPlainObject,
  itemsSchema,
  jsonTypeOf,
  type JSONSchema,
} from './json_schema.js';

/** Formats kts checks (cheaply); others pass, as unknown formats do in Kubernetes. */
const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  datetime: (s) => FORMATS['date-time']!(s),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  byte: (s) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s),
  uuid: (s) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(s),
  ipv4: (s) => /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s),
  ipv6: (s) => s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s),
};

/**
 * Problems of `value` against `schema`. `path` names the value (`spec`, `spec.items[0]`), as
 * kube-openapi does; '' for the object's root. At the root, `metadata` is checked only for
 * name and generateName (the rest is ObjectMeta, validated by the API server).
 */
export function validateAgainstSchema(value: unknown, schema: JSONSchema, path = ''): FieldError[] {
  const errors: FieldError[] = [];
  validateNode(value, schema, path, path === '', errors);
  return errors;
}

const child = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function typeError(path: string, expected: string, actual: string): FieldError {
  return { type: 'TypeInvalid', field: path, value: actual, detail: `${path} in body must be of type ${expected}: "${actual}"` };
}

function validateNode(value: unknown, schema: JSONSchema, path: string, root: boolean, errors: FieldError[]): void {
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const actual = jsonTypeOf(value);
  if (actual === 'null') {
    if (schema.type && !schema.nullable) errors.push(typeError(path, schema.type, 'null'));
    else if (intOrString && !schema.nullable) errors.push(typeError(path, 'integer,string', 'null'));
    return;
  }
  const expected = intOrString ? ['integer', 'string'] : schema.type ? [schema.type] : [];
  if (expected.length > 0 && !typeMatches(expected, actual)) {
    errors.push(typeError(path, expected.join(','), actual));
    return;
  }
  if (schema.enum && !schema.enum.some((allowed) => jsonEqual(allowed, value))) {
    errors.push(notSupported(path, value, schema.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))));
  }
  if (typeof value === 'string') validateString(value, schema, path, errors);
  else if (typeof value === 'number') validateNumber(value, schema, path, errors);
  else if (Array.isArray(value)) validateArray(value, schema, path, errors);
  else if (isPlainObject(value)) validateObject(value, schema, path, root, errors);
  validateCombinators(value, schema, path, errors);
}

function typeMatches(expected: readonly string[], actual: string): boolean {
  return expected.includes(actual) || (actual === 'integer' && expected.includes('number'));
}

function validateString(value: string, schema: JSONSchema, path: string, errors: FieldError[]): void {
  const check = schema.format ? FORMATS[schema.format] : undefined;
  if (check && !check(value)) {
    errors.push({ type: 'TypeInvalid', field: path, value, detail: `${path} in body must be of type ${schema.format}: ${JSON.stringify(value)}` });
  }
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    errors.push(invalidValue(path, value, `${path} in body should be at least ${schema.minLength} chars long`));
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) errors.push(tooLong(path, schema.maxLength));
  if (schema.pattern !== undefined && !patternMatches(schema.pattern, value)) {
    errors.push(invalidValue(path, value, `${path} in body should match '${schema.pattern}'`));
  }
}

const patterns = new Map<string, RegExp | null>();

/** ECMA-262 patterns, compiled once; a pattern JavaScript cannot compile matches everything. */
function patternMatches(pattern: string, value: string): boolean {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    patterns.set(pattern, re);
  }
  return re === null || re.test(value);
}

function validateNumber(value: number, schema: JSONSchema, path: string, errors: FieldError[]): void {
  const { minimum, maximum, multipleOf } = schema;
  if (maximum !== undefined && (schema.exclusiveMaximum ? value >= maximum : value > maximum)) {
    const how = schema.exclusiveMaximum ? 'less than' : 'less than or equal to';
    errors.push(invalidValue(path, value, `${path} in body should be ${how} ${goFloat(maximum)}`));
  }
  if (minimum !== undefined && (schema.exclusiveMinimum ? value <= minimum : value < minimum)) {
    const how = schema.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
    errors.push(invalidValue(path, value, `${path} in body should be ${how} ${goFloat(minimum)}`));
  }
  if (multipleOf !== undefined && multipleOf > 0) {
    const q = value / multipleOf;
    if (Math.abs(q - Math.round(q)) > 1e-9) {
      errors.push(invalidValue(path, value, `${path} in body should be a multiple of ${goFloat(multipleOf)}`));
    }
  }
}

function validateArray(value: unknown[], schema: JSONSchema, path: string, errors: FieldError[]): void {
  const items = itemsSchema(schema);
  if (items) value.forEach((item, i) => validateNode(item, items, `${path}[${i}]`, false, errors));
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errors.push(invalidValue(path, value.length, `${path} in body should have at least ${schema.minItems} items`));
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(tooMany(path, value.length, schema.maxItems));
}

function validateObject(value: Record<string, unknown>, schema: JSONSchema, path: string, root: boolean, errors: FieldError[]): void {
  for (const key of schema.required ?? []) {
    if (!(key in value) || value[key] === undefined) errors.push(required(child(path, key)));
  }
  const properties = schema.properties ?? {};
  const additional = additionalPropertiesSchema(schema);
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const prop = properties[key];
    if (root && key === 'metadata') {
      validateRootMetadata(v, prop, errors);
    } else if (prop) {
      validateNode(v, prop, child(path, key), false, errors);
    } else if (additional) {
      validateNode(v, additional, child(path, key), false, errors);
    }
  }
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    errors.push({ type: 'TooMany', field: path, detail: `${count}: must have at most ${schema.maxProperties} items` });
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    errors.push(invalidValue(path, count, `${path} in body should have at least ${schema.minProperties} properties`));
  }
}

/** The only metadata a CRD schema may constrain: name and generateName. */
function validateRootMetadata(metadata: unknown, schema: JSONSchema | undefined, errors: FieldError[]): void {
  if (!schema?.properties || !isPlainObject(metadata)) return;
  for (const key of ['name', 'generateName']) {
    const prop = schema.properties[key];
    if (prop && metadata[key] !== undefined) validateNode(metadata[key], prop, `metadata.${key}`, false, errors);
  }
}

/** allOf, anyOf, oneOf and not: value validations over the same value. */
function validateCombinators(value: unknown, schema: JSONSchema, path: string, errors: FieldError[]): void {
  for (const sub of schema.allOf ?? []) validateNode(value, sub, path, false, errors);
  const passes = (sub: JSONSchema): boolean => {
    const errs: FieldError[] = [];
    validateNode(value, sub, path, false, errs);
    return errs.length === 0;
  };
  if (schema.anyOf && !schema.anyOf.some(passes)) {
    errors.push(invalidValue(path, value, `"${path}" must validate at least one schema (anyOf)`));
  }
  if (schema.oneOf && schema.oneOf.filter(passes).length !== 1) {
    errors.push(invalidValue(path, value, `"${path}" must validate one and only one schema (oneOf)`));
  }
  if (schema.not && passes(schema.not)) {
    errors.push(invalidValue(path, value, `"${path}" must not validate the schema (not)`));
  }
}
