/**
 * Pruning, as apiextensions-apiserver does it for structural schemas: fields a schema does not
 * specify are dropped from custom resources on every write, unless the schema (or the node)
 * says x-kubernetes-preserve-unknown-fields. apiVersion, kind and metadata stay at the root and
 * in embedded resources. Works in place; value validations (allOf, anyOf, ...) never add fields.
 */
import { additionalPropertiesSchema, isPlainObject, itemsSchema, type JSONSchema } from './json_schema.js';

const TYPE_META = new Set(['apiVersion', 'kind', 'metadata']);

/** Drops what `schema` does not specify from the object `obj` (a custom resource: the root). */
export function pruneObject(obj: Record<string, unknown>, schema: JSONSchema): void {
  pruneNode(obj, schema, true);
}

/** Drops unknown fields from `value` under `schema`; true when something was dropped. */
export function pruneValue(value: unknown, schema: JSONSchema): boolean {
  return pruneNode(value, schema, false);
}

function pruneNode(value: unknown, schema: JSONSchema, keepTypeMeta: boolean): boolean {
  if (schema['x-kubernetes-int-or-string']) return false;
  if (Array.isArray(value)) {
    const items = itemsSchema(schema);
    let pruned = false;
    if (items) for (const item of value) pruned = pruneNode(item, items, false) || pruned;
    return pruned;
  }
  if (!isPlainObject(value)) return false;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  const embedded = keepTypeMeta || schema['x-kubernetes-embedded-resource'] === true;
  const properties = schema.properties ?? {};
  const additional = additionalPropertiesSchema(schema);
  let pruned = false;
  for (const key of Object.keys(value)) {
    if (embedded && TYPE_META.has(key)) {
      // metadata is ObjectMeta, whatever the schema says; apiVersion and kind are strings.
      continue;
    }
    const prop = Object.hasOwn(properties, key) ? properties[key] : additional;
    if (prop) pruned = pruneNode(value[key], prop, false) || pruned;
    else if (!preserve) {
      delete value[key];
      pruned = true;
    }
  }
  return pruned;
}
