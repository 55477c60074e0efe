/**
 * `metadata.managedFields`: who owns which fields of an object, as kube-apiserver's fieldmanager
 * records it. One entry per manager — an applier (operation Apply) or a writer (operation Update,
 * one entry per API version) — each with the set of fields it owns in FieldsV1.
 *
 * `updateManagedFields` is what the API server calls on every ordinary write (create, update,
 * and JSON/merge/strategic patches): the writer takes ownership of every field its write added
 * or changed, others lose the fields it changed or removed. Server-side apply (apply.ts) uses the
 * same decoding and encoding.
 */
import { deepCopy, isJsonObject, parseApiVersion, type JsonObject, type KubeObject } from '../object.js';
import { FieldSet, fieldElement, type FieldPath } from './field_set.js';
import { rootType, resolveType, type ResolvedType } from './patch_strategies.js';
import { jsonEqual } from './json_values.js';
import { compareValues } from './typed_value.js';

export type ManagedFieldsOperation = 'Apply' | 'Update';

/** One entry of metadata.managedFields. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: ManagedFieldsOperation;
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: JsonObject;
  subresource?: string;
}

/** A decoded entry: its field set instead of FieldsV1. */
export interface ManagerFields {
  manager: string;
  operation: ManagedFieldsOperation;
  apiVersion: string;
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

/** Entries by manager identity (see managerId). */
export type Managers = Map<string, ManagerFields>;

/**
 * The identity of an entry: appliers are one entry whatever the version they applied with;
 * writers get one entry per API version (as kube-apiserver's BuildManagerIdentifier).
 */
export function managerId(m: Pick<ManagerFields, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const id: Record<string, string> = { manager: m.manager, operation: m.operation };
  if (m.operation === 'Update') id.apiVersion = m.apiVersion;
  if (m.subresource) id.subresource = m.subresource;
  return JSON.stringify(id);
}

/**
 * The manager name of a request: its fieldManager, else the User-Agent up to the first `/`
 * (`kubectl/v1.32.4 (linux/amd64) ...` -> `kubectl`), as kube-apiserver names unnamed writers.
 */
export function managerOrUserAgent(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const ua = userAgent ?? '';
  return ua.split('/')[0] ?? '';
}

/** Decodes managedFields; throws an Error saying what is wrong with a malformed entry. */
export function decodeManagedFields(entries: unknown): Managers {
  const out: Managers = new Map();
  if (entries === undefined || entries === null) return out;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  for (const [i, raw] of entries.entries()) {
    if (!isJsonObject(raw)) throw new Error(`managedFields[${i}] must be an object`);
    const e = raw as ManagedFieldsEntry;
    if (e.operation !== 'Apply' && e.operation !== 'Update') {
      throw new Error(`managedFields[${i}]: operation must be Apply or Update, got ${JSON.stringify(e.operation)}`);
    }
    if (e.fieldsType !== undefined && e.fieldsType !== 'FieldsV1') {
      throw new Error(`managedFields[${i}]: fieldsType must be FieldsV1, got ${JSON.stringify(e.fieldsType)}`);
    }
    const m: ManagerFields = {
      manager: e.manager ?? '',
      operation: e.operation,
      apiVersion: e.apiVersion ?? '',
      fields: e.fieldsV1 === undefined ? new FieldSet() : FieldSet.fromFieldsV1(e.fieldsV1),
    };
    if (e.time) m.time = e.time;
    if (e.subresource) m.subresource = e.subresource;
    const id = managerId(m);
    const previous = out.get(id);
    if (previous) m.fields = m.fields.union(previous.fields);
    out.set(id, m);
  }
  return out;
}

/**
 * Encodes managers as managedFields, in kube-apiserver's order: Apply before Update, then by
 * time, manager, apiVersion and subresource. Managers owning nothing are left out.
 */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] {
  const list = [...managers.values()].filter((m) => !m.fields.isEmpty());
  list.sort(
    (p, q) =>
      cmp(p.operation, q.operation) ||
      cmp(seconds(p.time), seconds(q.time)) ||
      cmp(p.manager, q.manager) ||
      cmp(p.apiVersion, q.apiVersion) ||
      cmp(p.subresource ?? '', q.subresource ?? ''),
  );
  return list.map((m) => {
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.fields.toFieldsV1();
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function seconds(time: string | undefined): number {
  const t = time ? Date.parse(time) : NaN;
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

/** A managedFields timestamp: RFC 3339 in UTC, whole seconds. */
export function formatTime(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Fields nobody owns: identity and server-set metadata (kube-apiserver's stripMeta). */
const STRIPPED: readonly FieldPath[] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map(
    (f) => ['f:metadata', fieldElement(f)],
  ),
];

/** `fields` without the stripped metadata and without whatever lies under `ignored` paths. */
const STRIPPED_SET = new FieldSet(STRIPPED);

export function ownableFields(fields: FieldSet, ignored: readonly FieldPath[] = []): FieldSet {
  let out = fields.difference(STRIPPED_SET);
  out = out.withoutPrefix(['f:metadata', 'f:managedFields']);
  for (const p of ignored) out = out.withoutPrefix(p);
  return out;
}

/** An object's content as ownership sees it: without metadata.managedFields. */
export function withoutManagedFields(obj: JsonObject | undefined): JsonObject {
  if (!obj) return {};
  const out = { ...obj };
  if (isJsonObject(out.metadata) && 'managedFields' in out.metadata) {
    const meta = { ...out.metadata };
    delete meta.managedFields;
    out.metadata = meta;
  }
  return out;
}

/** The type tree of objects of this apiVersion/kind. */
export function objectType(apiVersion: string, kind: string): ResolvedType {
  return resolveType(rootType(parseApiVersion(apiVersion).group, kind));
}

/** What the API server knows about a write, for updateManagedFields. */
export interface WriteContext {
  /** The writer: the request's fieldManager, or managerOrUserAgent(). */
  manager: string;
  /** The API version of the endpoint written through (`apps/v1`). */
  apiVersion: string;
  kind: string;
  now: Date;
  /** `status`, `scale`... when the write went to a subresource. */
  subresource?: string;
  /**
   * Fields this endpoint does not let the writer change (for a main resource with a status
   * subresource: [['f:status']]); they are neither taken nor lost.
   */
  ignoredFields?: readonly FieldPath[];
}

/**
 * The managedFields of `obj` after a write that turned `old` (undefined on create) into `obj`:
 * the writer owns what it added or changed, others lose what it changed or removed.
 *
 * The base is the managedFields `obj` carries if the client set them (a list of one empty entry
 * `[{}]` clears them), else those of `old`. Call after defaulting (defaults are owned by the
 * writer, as in Kubernetes) and with the final object; returns a copy of `obj` with
 * metadata.managedFields set (left out when nobody owns anything). Client-supplied managedFields
 * that do not decode are ignored in favour of `old`'s, as kube-apiserver does (validation reports them).
 */
export function updateManagedFields(old: KubeObject | undefined, obj: KubeObject, ctx: WriteContext): KubeObject {
  return withManagedFields(obj, managersAfterWrite(old, obj, ctx));
}

/**
 * The managedFields entries after a write, as updateManagedFields sets them, without copying
 * `obj`: for the API server's write path, which owns `obj` and sets the entries in place.
 */
export function managedFieldsAfterWrite(old: KubeObject | undefined, obj: KubeObject, ctx: WriteContext): ManagedFieldsEntry[] {
  return encodeManagedFields(managersAfterWrite(old, obj, ctx));
}

function managersAfterWrite(old: KubeObject | undefined, obj: KubeObject, ctx: WriteContext): Managers {
  const managers = baseManagers(old, obj);
  const type = objectType(ctx.apiVersion, ctx.kind);
  const change = compareValues(withoutManagedFields(old), withoutManagedFields(obj), type);
  const ignored = ctx.ignoredFields ?? [];
  const changed = ownableFields(change.added.union(change.modified), ignored);
  const removed = change.removed;

  const self: ManagerFields = { manager: ctx.manager, operation: 'Update', apiVersion: ctx.apiVersion, fields: new FieldSet() };
  if (ctx.subresource) self.subresource = ctx.subresource;
  const id = managerId(self);
  for (const m of managers.values()) m.fields = m.fields.difference(changed).difference(removed);
  if (!changed.isEmpty()) {
    const previous = managers.get(id);
    self.fields = changed.union(previous?.fields ?? new FieldSet());
    self.time = formatTime(ctx.now);
    managers.set(id, self);
  }
  return managers;
}

function baseManagers(old: KubeObject | undefined, obj: KubeObject): Managers {
  const supplied: unknown = obj.metadata.managedFields;
  if (Array.isArray(supplied) && supplied.length === 1 && isJsonObject(supplied[0]) && Object.keys(supplied[0]).length === 0) {
    return new Map();
  }
  if (Array.isArray(supplied) && supplied.length > 0 && !jsonSame(supplied, old?.metadata.managedFields)) {
    try {
      return decodeManagedFields(supplied);
    } catch {
      // fall through to the stored ones
    }
  }
  try {
    return decodeManagedFields(old?.metadata.managedFields);
  } catch {
    return new Map();
  }
}

function jsonSame(a: unknown, b: unknown): boolean {
  // Structural equality: comparing JSON texts would stringify both lists on every write.
  return jsonEqual(a, b);
}

/** A copy of `obj` whose metadata.managedFields encode `managers` (removed when there are none). */
export function withManagedFields(obj: KubeObject, managers: Managers): KubeObject {
  const out = deepCopy(obj);
  const entries = encodeManagedFields(managers);
  if (entries.length > 0) out.metadata.managedFields = entries;
  else delete out.metadata.managedFields;
  return out;
}
