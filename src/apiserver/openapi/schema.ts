/**
 * The JSON Schema shape of OpenAPI definitions as kts keeps them: OpenAPI v2 form, references
 * written `#/definitions/<name>`, a description allowed beside a `$ref` (as kube-apiserver's
 * /openapi/v2 has it). The v3 documents are derived from this form (schema_v3.ts).
 */

/** One schema. Known keywords are typed; others (enum, pattern, CRD keywords) pass through. */
export interface Schema {
  $ref?: string;
  description?: string;
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  not?: Schema;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  [keyword: string]: unknown;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Definitions by name (`io.k8s.api.core.v1.Pod`). */
export type Definitions = ReadonlyMap<string, Schema>;

export const V2_REF_PREFIX = '#/definitions/';
export const V3_REF_PREFIX = '#/components/schemas/';

/** `#/definitions/io.k8s.api.core.v1.Pod` → `io.k8s.api.core.v1.Pod`; undefined for other refs. */
export function refName(ref: string): string | undefined {
  return ref.startsWith(V2_REF_PREFIX) ? ref.slice(V2_REF_PREFIX.length) : undefined;
}

/** A reference to a definition, in kts's (v2) form. */
export function refTo(name: string): Schema {
  return { $ref: V2_REF_PREFIX + name };
}

/** Calls `visit` on every definition name a schema refers to, directly (not transitively). */
export function forEachRef(schema: Schema, visit: (name: string) => void): void {
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    if (name !== undefined) visit(name);
  }
  if (schema.properties) for (const prop of Object.values(schema.properties)) forEachRef(prop, visit);
  if (schema.items) forEachRef(schema.items, visit);
  if (typeof schema.additionalProperties === 'object') forEachRef(schema.additionalProperties, visit);
  for (const list of [schema.allOf, schema.oneOf, schema.anyOf]) {
    if (list) for (const sub of list) forEachRef(sub, visit);
  }
  if (schema.not) forEachRef(schema.not, visit);
}

/**
 * The names of `roots` and of every definition they reach, sorted. Names missing from
 * `definitions` are left out (a document then has a dangling reference, never a crash).
 */
export function closure(definitions: Definitions, roots: Iterable<string>): string[] {
  const seen = new Set<string>();
  const stack = [...roots];
  for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
    if (seen.has(name)) continue;
    const schema = definitions.get(name);
    if (!schema) continue;
    seen.add(name);
    forEachRef(schema, (ref) => {
      if (!seen.has(ref)) stack.push(ref);
    });
  }
  return [...seen].sort();
}
