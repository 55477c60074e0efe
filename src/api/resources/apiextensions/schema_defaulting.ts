/**
 * Defaulting from a structural schema, as apiextensions-apiserver applies it to custom
 * resources: a missing field with a `default` gets a copy of it (and then the defaults inside
 * it); a null in a field that is not nullable is dropped, or replaced by the default when there
 * is one. Top-down, in place. Root metadata is left to the API server.
 */
import { additionalPropertiesSchema, isPlainObject, itemsSchema, type JSONSchema } from './json_schema.js';

/** Applies `schema`'s defaults to the custom resource `obj` (its root). */
export function applyDefaults(obj: Record<string, unknown>, schema: JSONSchema): void {
  defaultNode(obj, schema, true);
}

/** Applies defaults below `value` (not to `value` itself). */
export function applyDefaultsTo(value: unknown, schema: JSONSchema): void {
  defaultNode(value, schema, false);
}

function defaultNode(value: unknown, schema: JSONSchema, root: boolean): void {
  if (Array.isArray(value)) {
    const items = itemsSchema(schema);
    if (items) for (const item of value) defaultNode(item, items, false);
    return;
  }
  if (!isPlainObject(value)) return;
  const properties = schema.properties ?? {};
  for (const [key, prop] of Object.entries(properties)) {
    if (root && key === 'metadata') continue;
    fill(value, key, prop);
  }
  const additional = additionalPropertiesSchema(schema);
  if (additional) {
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(properties, key)) fill(value, key, additional);
    }
  }
}

function fill(obj: Record<string, unknown>, key: string, schema: JSONSchema): void {
  const current = obj[key];
  if (current === null && !schema.nullable) delete obj[key];
  if (obj[key] === undefined && schema.default !== undefined) obj[key] = structuredClone(schema.default);
  if (obj[key] !== undefined) defaultNode(obj[key], schema, false);
}
