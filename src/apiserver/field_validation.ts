/**
 * Server-side field validation (the `fieldValidation` query parameter): fields of a request
 * body that the kind's schema does not know are an error (Strict: 400 "strict decoding error:
 * unknown field ..."), a warning (Warn, the default: a `Warning` header per field) or ignored.
 * Built-in kinds are checked against the OpenAPI definitions kts serves; kinds without a known
 * schema (custom resources prune unknown fields themselves) are not checked here.
 */
import { badRequest } from '../api/errors.js';
import { isJsonObject } from '../api/object.js';
import type { ResourceType } from '../api/registry.js';
import { loadDefinitions } from './openapi/definitions.js';
import { refName, type Schema } from './openapi/schema.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function parseFieldValidation(value: string | null): FieldValidation {
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation parameter unsupported: ${JSON.stringify(value)}. Supported values are: Ignore, Warn, Strict`);
}

let definitions: ReadonlyMap<string, Schema> | undefined;
let byKind: Map<string, Schema> | undefined;

/** The definition of a kind, found by its x-kubernetes-group-version-kind. */
function schemaFor(rt: ResourceType): Schema | undefined {
  if (!byKind) {
    definitions = loadDefinitions();
    byKind = new Map();
    for (const schema of definitions.values()) {
      for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) byKind.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, schema);
    }
  }
  return byKind.get(`${rt.group}/${rt.version}/${rt.kind}`);
}

function resolve(schema: Schema): Schema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 16; depth++) {
    const name = refName(current.$ref);
    const next = name === undefined ? undefined : definitions?.get(name);
    if (!next) return {};
    current = next;
  }
  if (current.allOf?.length === 1 && current.allOf[0]) return resolve(current.allOf[0]);
  return current;
}

function collect(value: unknown, schema: Schema, path: string, out: string[]): void {
  const s = resolve(schema);
  if (Array.isArray(value)) {
    if (s.items) value.forEach((item, i) => collect(item, s.items as Schema, `${path}[${i}]`, out));
    return;
  }
  if (!isJsonObject(value)) return;
  if (s.properties) {
    for (const [key, child] of Object.entries(value)) {
      const prop = s.properties[key];
      const childPath = path ? `${path}.${key}` : key;
      if (prop) collect(child, prop, childPath, out);
      else if (!s.additionalProperties) out.push(childPath);
    }
    return;
  }
  if (isJsonObject(s.additionalProperties)) {
    for (const [key, child] of Object.entries(value)) collect(child, s.additionalProperties, `${path}.${key}`, out);
  }
}

/** The paths of fields the kind does not declare (`spec.replicaz`, `spec.containers[0].imagee`). */
export function unknownFields(rt: ResourceType, body: unknown): string[] {
  const schema = schemaFor(rt);
  if (!schema) return [];
  const out: string[] = [];
  collect(body, schema, '', out);
  return out;
}

/**
 * Applies the directive to a decoded body: throws 400 under Strict, returns the warnings to
 * send under Warn, nothing under Ignore.
 */
export function checkFields(rt: ResourceType, body: unknown, directive: FieldValidation): string[] {
  if (directive === 'Ignore') return [];
  const unknown = unknownFields(rt, body);
  if (unknown.length === 0) return [];
  const messages = unknown.map((f) => `unknown field "${f}"`);
  if (directive === 'Strict') throw badRequest(`strict decoding error: ${messages.join(', ')}`);
  return messages;
}

/** A `Warning` header value per message, as kube-apiserver writes them (code 299). */
export function warningHeaders(messages: readonly string[]): string[] {
  return messages.map((m) => `299 - ${JSON.stringify(m)}`);
}
