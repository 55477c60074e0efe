/**
 * Overlays the strategic-merge-patch and server-side-apply facts of src/api/patch/
 * patch_strategies.ts onto the schema definitions, as kube-apiserver publishes them:
 * `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`, `x-kubernetes-list-type`,
 * `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`. kubectl's client-side apply reads
 * them from the v3 documents to compute its patches, so they must agree with what the server's
 * strategic merge does; they come from the same table. Called by definitions.ts at load.
 */
import {
  elementType,
  patchExtensions,
  type ResolvedType,
  resolveType,
  rootType,
} from '../../api/patch/patch_strategies.js';
import { refName, type Schema } from './schema.js';

/**
 * Walks every top-level kind's definition (by its x-kubernetes-group-version-kind) together with
 * the kind's root type in the patch table, and sets the extensions on each field the table
 * describes, descending through $refs. Definitions shared by several kinds (PodSpec) are walked
 * once per struct. Changes `definitions` in place.
 */
export function applyPatchExtensions(definitions: Map<string, Schema>): void {
  const seen = new Set<string>();
  for (const [name, schema] of definitions) {
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      // List kinds hold ListMeta and items of a kind walked on its own.
      if (gvk.kind.endsWith('List') && schema.properties?.items) continue;
      walk(definitions, name, resolveType(rootType(gvk.group, gvk.kind)), seen);
    }
  }
}

function walk(definitions: Map<string, Schema>, name: string | undefined, type: ResolvedType, seen: Set<string>): void {
  if (name === undefined || type.kind !== 'struct') return;
  const key = `${name}|${type.name}`;
  if (seen.has(key)) return;
  seen.add(key);
  const properties = definitions.get(name)?.properties;
  if (!properties) return;
  for (const [field, ref] of Object.entries(type.def.fields)) {
    const prop = properties[field];
    if (!prop) continue;
    Object.assign(prop, patchExtensions(ref));
    const child = resolveType(ref);
    if (child.kind === 'struct') {
      walk(definitions, refOf(prop), child, seen);
    } else if (child.kind === 'list') {
      walk(definitions, prop.items && refOf(prop.items), elementType(child), seen);
    } else if (child.kind === 'map' && typeof prop.additionalProperties === 'object') {
      walk(definitions, refOf(prop.additionalProperties), resolveType(child.ref.map), seen);
    }
  }
}

function refOf(schema: Schema): string | undefined {
  return typeof schema.$ref === 'string' ? refName(schema.$ref) : undefined;
}
