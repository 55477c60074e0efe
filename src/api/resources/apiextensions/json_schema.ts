/**
 * The OpenAPI v3 schema of a CustomResourceDefinition version (apiextensions/v1
 * JSONSchemaProps) as kts handles it: plain JSON, typed here with the keywords the structural
 * rules, validation, pruning and defaulting look at. Shared by the CRD declaration
 * (validating schemas) and the API server's CRD controller (serving custom resources).
 */

/** One node of a CRD schema. Unknown keywords are carried along untouched. */
export interface JSONSchema {
  type?: string;
  format?: string;
  description?: string;
  title?: string;
  properties?: Record<string, JSONSchema>;
  required?: string[];
  items?: JSONSchema | JSONSchema[];
  additionalProperties?: JSONSchema | boolean;
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JSONSchema[];
  anyOf?: JSONSchema[];
  oneOf?: JSONSchema[];
  not?: JSONSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [keyword: string]: unknown;
}

/** The JSON type of a value, as OpenAPI names it (integral numbers are `integer`). */
export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

export function jsonTypeOf(value: unknown): JsonType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'string':
      return 'string';
    default:
      return 'object';
  }
}

/** A JSON object value (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema of an array's items (a single schema; tuple forms are rejected by validation). */
export function itemsSchema(schema: JSONSchema): JSONSchema | undefined {
  return Array.isArray(schema.items) ? undefined : schema.items;
}

/** The schema of an object's values beyond `properties`, when given as a schema. */
export function additionalPropertiesSchema(schema: JSONSchema): JSONSchema | undefined {
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/**
 * A number as Go's `%v` prints a float64 (how kube-openapi's messages show minimum and
 * maximum): the shortest form, with an exponent from 1e+06 up and below 1e-04.
 */
export function goFloat(x: number): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const exp = Math.floor(Math.log10(Math.abs(x)));
  if (exp >= -4 && exp < 21 && Math.abs(x) < 1e6) return String(x);
  const [mantissa, e] = x.toExponential().split('e') as [string, string];
  const sign = e.startsWith('-') ? '-' : '+';
  const digits = e.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa}e${sign}${digits}`;
}
