/**
 * Server-side apply (`application/apply-patch+yaml`): merges an applied configuration into the
 * live object and records the applier's ownership in managedFields, as kube-apiserver's
 * fieldmanager does with structured-merge-diff:
 *
 * - the applier owns exactly the fields of its latest configuration;
 * - changing a field another manager owns is a 409 Conflict (one cause per field), unless
 *   `force`, which takes the field over;
 * - a field the applier applied before and dropped now is removed, unless another manager owns it;
 * - an object that does not exist is created from the configuration;
 * - an object without managedFields gets a `before-first-apply` manager owning what it has, so
 *   the first apply neither prunes nor silently overrides it.
 */
import { parse as parseYaml } from 'yaml';
import { badRequest, statusFailure, type StatusError } from '../errors.js';
import { isJsonObject, type JsonObject, type KubeObject } from '../object.js';
import { FieldSet, pathString, type FieldPath } from './field_set.js';
import {
  decodeManagedFields,
  formatTime,
  managerId,
  objectType,
  ownableFields,
  withManagedFields,
  withoutManagedFields,
  type ManagerFields,
  type Managers,
} from './managed_fields.js';
import { jsonEqual } from './json_values.js';
import { compareValues, mergeValues, removePaths, toFieldSet } from './typed_value.js';

/** The manager that owns an object's fields when it is first applied without managedFields. */
export const BEFORE_FIRST_APPLY = 'before-first-apply';

export interface ApplyContext {
  /** The applier (the request's fieldManager; required for apply). */
  manager: string;
  /** The API version of the endpoint (`apps/v1`); the configuration must use it. */
  apiVersion: string;
  kind: string;
  /** `force=true`: take over conflicting fields instead of failing. */
  force: boolean;
  now: Date;
  subresource?: string;
  /** Fields the endpoint resets (see WriteContext.ignoredFields). */
  ignoredFields?: readonly FieldPath[];
}

/** Parses an apply body (YAML, or JSON which is YAML); 400 unless it is one object. */
export function decodeApplyPatch(body: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = parseYaml(body, { schema: 'core', uniqueKeys: true, intAsBigInt: false });
  } catch (err) {
    throw badRequest(`error decoding YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isJsonObject(parsed)) {
    throw badRequest('error decoding YAML: the applied configuration must be an object');
  }
  return parsed;
}

/**
 * Applies `config` (a decoded apply body) to `live` (undefined when the object does not exist)
 * and returns the resulting object with its managedFields. Throws 400 for a configuration of
 * the wrong version or carrying managedFields, 409 for conflicts without `force`.
 */
export function serverSideApply(live: KubeObject | undefined, config: JsonObject, ctx: ApplyContext): KubeObject {
  checkConfig(config, ctx);
  const type = objectType(ctx.apiVersion, ctx.kind);
  const ignored = ctx.ignoredFields ?? [];
  const liveContent = withoutManagedFields(live);

  const managers = live ? decodeOrEmpty(live.metadata.managedFields) : new Map<string, ManagerFields>();
  if (live && managers.size === 0) {
    const fields = ownableFields(compareValues({}, liveContent, type).added, ignored);
    const m: ManagerFields = { manager: BEFORE_FIRST_APPLY, operation: 'Update', apiVersion: ctx.apiVersion, fields, time: formatTime(ctx.now) };
    managers.set(managerId(m), m);
  }

  const applier: ManagerFields = { manager: ctx.manager, operation: 'Apply', apiVersion: ctx.apiVersion, fields: new FieldSet() };
  if (ctx.subresource) applier.subresource = ctx.subresource;
  const id = managerId(applier);
  const previous = managers.get(id);

  const merged = mergeValues(liveContent, config, type) as JsonObject;
  const change = compareValues(liveContent, merged, type);
  const touched = ownableFields(change.added.union(change.modified), ignored);

  const conflicts: { manager: ManagerFields; paths: FieldPath[] }[] = [];
  for (const [otherId, m] of managers) {
    if (otherId === id) continue;
    const overlap = m.fields.intersection(touched);
    if (!overlap.isEmpty()) conflicts.push({ manager: m, paths: overlap.paths() });
  }
  if (conflicts.length > 0 && !ctx.force) throw applyConflict(conflicts);
  for (const [otherId, m] of managers) {
    if (otherId !== id) m.fields = m.fields.difference(touched).difference(change.removed);
  }

  applier.fields = ownableFields(toFieldSet(config, type), ignored);
  managers.set(id, applier);
  const result = previous ? prune(merged, previous.fields, managers, type) : merged;

  const unchanged = live !== undefined && jsonEqual(result, liveContent) && previous?.fields.equals(applier.fields);
  applier.time = unchanged && previous?.time ? previous.time : formatTime(ctx.now);
  if (!isJsonObject(result.metadata)) result.metadata = {};
  return withManagedFields(result as KubeObject, managers);
}

function checkConfig(config: JsonObject, ctx: ApplyContext): void {
  if (config.apiVersion !== ctx.apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${typeof config.apiVersion === 'string' ? config.apiVersion : ''}, expected: ${ctx.apiVersion}`,
    );
  }
  if (config.kind !== ctx.kind) {
    throw badRequest(`Incorrect kind specified in apply patch. Specified patch kind: ${typeof config.kind === 'string' ? config.kind : ''}, expected: ${ctx.kind}`);
  }
  const meta = config.metadata;
  if (isJsonObject(meta) && meta.managedFields !== undefined && meta.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }
}

function decodeOrEmpty(entries: unknown): Managers {
  try {
    return decodeManagedFields(entries);
  } catch {
    return new Map();
  }
}

/**
 * Removes what the applier applied last time (`lastSet`) but no longer does, unless some manager
 * still owns it; a map or struct left empty by that goes too if the applier alone had it.
 */
function prune(merged: JsonObject, lastSet: FieldSet, managers: Managers, type: ReturnType<typeof objectType>): JsonObject {
  let owned = new FieldSet();
  for (const m of managers.values()) owned = owned.union(m.fields);
  owned = owned.withFieldAncestors();
  const dropped = lastSet.difference(owned).paths();
  if (dropped.length === 0) return merged;
  let out = removePaths(merged, dropped, type);

  const removable = lastSet.withFieldAncestors().difference(owned);
  const emptied = new Map<string, FieldPath>();
  for (const p of dropped) {
    for (let n = p.length - 1; n > 0; n--) {
      const parent = p.slice(0, n);
      if (removable.has(parent)) emptied.set(parent.join('\u0000'), parent);
    }
  }
  // Deepest first, so a parent sees its emptied children gone.
  for (const parent of [...emptied.values()].sort((a, b) => b.length - a.length)) {
    if (isEmptyAt(out, parent)) out = removePaths(out, [parent], type);
  }
  return out;
}

function isEmptyAt(obj: JsonObject, path: FieldPath): boolean {
  let node: unknown = obj;
  for (const el of path) {
    if (!el.startsWith('f:') || !isJsonObject(node)) return false;
    node = node[el.slice(2)];
  }
  return isJsonObject(node) && Object.keys(node).length === 0;
}

/** `"kubectl-client-side-apply" using apps/v1`: a manager as kube-apiserver names it in conflicts. */
export function printManager(m: Pick<ManagerFields, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  let s = JSON.stringify(m.manager);
  if (m.subresource) s += ` with subresource ${JSON.stringify(m.subresource)}`;
  if (m.operation === 'Update') s += ` using ${m.apiVersion}`;
  return s;
}

/** The 409 of an apply that conflicts, worded and detailed as kube-apiserver's. */
export function applyConflict(conflicts: readonly { manager: ManagerFields; paths: readonly FieldPath[] }[]): StatusError {
  const byManager = [...conflicts]
    .map((c) => ({ name: printManager(c.manager), paths: c.paths.map(pathString).sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const causes = byManager.flatMap((c) =>
    c.paths.map((field) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.name}`, field })),
  );
  let message: string;
  if (causes.length === 1 && byManager[0]) {
    message = `Apply failed with 1 conflict: conflict with ${byManager[0].name}: ${byManager[0].paths[0] ?? ''}`;
  } else {
    const lines = byManager.flatMap((c) => [`conflicts with ${c.name}:`, ...c.paths.map((p) => `- ${p}`)]);
    message = `Apply failed with ${causes.length} conflicts: ${lines.join('\n')}`;
  }
  return statusFailure(409, 'Conflict', message, { causes });
}
