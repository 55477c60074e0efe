/**
 * Decoding checks of request bodies against the kind's schema: values of the wrong type are a
 * 400, as Go's typed decoding makes them; and server-side field validation (the
 * `fieldValidation` query parameter): fields the kind's schema does not know are an error (Strict: 400 "strict decoding error:
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

/** Follows $ref (and a lone allOf); `quantity` tells that the schema is a resource.Quantity. */
function resolve(schema: Schema): { schema: Schema; quantity: boolean } {
  let current = schema;
  let quantity = false;
  for (let depth = 0; depth < 16; depth++) {
    if (current.allOf?.length === 1 && current.allOf[0]) {
      current = current.allOf[0];
      continue;
    }
    if (!current.$ref) break;
    const name = refName(current.$ref);
    const next = name === undefined ? undefined : definitions?.get(name);
    if (!next) return { schema: {}, quantity };
    quantity = name === QUANTITY;
    current = next;
  }
  return { schema: current, quantity };
}

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Whether a value fits a schema's type, as Go's JSON decoding of the typed field would accept it. */
function typeFits(value: unknown, s: Schema, quantity: boolean): boolean {
  if (value === null || s.type === undefined) return true;
  switch (s.type) {
    case 'string':
      return typeof value === 'string' || ((quantity || s.format === 'int-or-string') && typeof value === 'number');
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isJsonObject(value);
    default:
      return true;
  }
}

interface Findings {
  unknown: string[];
  wrongType: string[];
}

function collect(value: unknown, schema: Schema, path: string, out: Findings): void {
  const { schema: s, quantity } = resolve(schema);
  if (!typeFits(value, s, quantity)) {
    out.wrongType.push(`json: cannot unmarshal ${jsonType(value)} into Go struct field .${path} of type ${s.type ?? 'unknown'}`);
    return;
  }
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
      else if (!s.additionalProperties) out.unknown.push(childPath);
    }
    return;
  }
  if (isJsonObject(s.additionalProperties)) {
    for (const [key, child] of Object.entries(value)) collect(child, s.additionalProperties, `${path}.${key}`, out);
  }
}

/** What a body has that its kind's schema does not allow: unknown fields and values of the wrong type. */
export function findProblems(rt: ResourceType, body: unknown): Findings {
  const schema = schemaFor(rt);
  const out: Findings = { unknown: [], wrongType: [] };
  if (schema) collect(body, schema, '', out);
  return out;
}

/**
 * Checks a decoded body: a value of the wrong type is always a 400 (the body cannot be decoded
 * into its kind); unknown fields are a 400 under Strict, warnings to send under Warn, and
 * nothing under Ignore.
 */
export function checkFields(rt: ResourceType, body: unknown, directive: FieldValidation): string[] {
  const { unknown, wrongType } = findProblems(rt, body);
  if (wrongType.length > 0) {
    throw badRequest(`${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: ${wrongType[0] ?? ''}`);
  }
  if (directive === 'Ignore' || unknown.length === 0) return [];
  const messages = unknown.map((f) => `unknown field "${f}"`);
  if (directive === 'Strict') throw badRequest(`strict decoding error: ${messages.join(', ')}`);
  return messages;
}

/** A `Warning` header value per message, as kube-apiserver writes them (code 299). */
export function warningHeaders(messages: readonly string[]): string[] {
  return messages.map((m) => `299 - ${JSON.stringify(m)}`);
}
