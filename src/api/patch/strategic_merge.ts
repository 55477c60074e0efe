/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), as apimachinery's
 * strategicpatch applies it on the server: maps merge key by key and `null` deletes a key; a list
 * whose field has `patchStrategy: merge` merges by its `patchMergeKey` (or as a set, for scalars),
 * other lists are replaced. Directives:
 *
 * - `$patch: replace` in a map replaces the map; in a merge list's item, replaces the list;
 * - `$patch: delete` in a map empties it; in a merge list's item, deletes the items with its key;
 * - `$retainKeys: [...]` drops the keys of the original map not listed;
 * - `$deleteFromPrimitiveList/<field>: [...]` removes values from a list of scalars;
 * - `$setElementOrder/<field>: [...]` orders the merged list (patch order > live order).
 *
 * The patch metadata comes from patch_strategies.ts. Errors are the StatusErrors kube-apiserver
 * answers: malformed directives 400, lists of lists 422, other merge failures 500 with
 * apimachinery's raw message.
 */
import { badRequest, statusFailure, type StatusError } from '../errors.js';
import { deepCopy, isJsonObject, type JsonObject } from '../object.js';
import { jsonPatchApplyFailed } from './json_patch.js';
import { goValue } from './json_values.js';
import { childType, elementType, patchMeta, resolveType, type ResolvedType, type TypeRef } from './patch_strategies.js';

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

// apimachinery's mergepatch errors, answered 400 (bad directive format) ...
const badPrimitiveList = (): StatusError => badRequest('invalid patch format of primitive list');
const badRetainKeys = (): StatusError => badRequest('invalid patch format of retainKeys');
const badSetElementOrder = (): StatusError => badRequest('invalid patch format of setElementOrder list');
// ... 422 (lists of lists) ...
const noListOfLists = (): StatusError => jsonPatchApplyFailed(new Error('lists of lists are not supported'));
// ... or, being plain Go errors, 500 with an empty reason and the raw message.
const mergeFailed = (message: string): StatusError => statusFailure(500, '', message);
const noMergeKey = (m: unknown, key: string): StatusError =>
  mergeFailed(`map: ${goValue(m)} does not contain declared merge key: ${key}`);

/** Parses a strategic merge patch body: a JSON object, else 400 with Go's decoding message. */
export function decodeStrategicMergePatch(body: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw badRequest('invalid JSON document');
  }
  if (!isJsonObject(parsed)) {
    const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : typeof parsed;
    throw badRequest(`json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return parsed;
}

/**
 * Applies strategic merge patch `patch` to `original`, an object whose root type is `root`
 * (see `rootType()` in patch_strategies.ts). Returns a new object; neither argument changes.
 */
export function strategicMergePatch(original: JsonObject, patch: JsonObject, root: TypeRef): JsonObject {
  return mergeMap(deepCopy(original), deepCopy(patch), resolveType(root));
}

type ValueKind = 'object' | 'array' | 'scalar';
const kindOf = (v: unknown): ValueKind => (Array.isArray(v) ? 'array' : isJsonObject(v) ? 'object' : 'scalar');

/** Merges `patch` into `original` (both owned by the caller, both may change). */
function mergeMap(original: JsonObject, patch: JsonObject, type: ResolvedType): JsonObject {
  if (DIRECTIVE in patch) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return mergeMap({}, patch, type);
    }
    if (directive === 'delete') return {};
    throw mergeFailed(`unknown patch type: ${goValue(directive)} in map: ${goValue(patch)}`);
  }
  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, type);

  for (const [key, patchValue] of Object.entries(patch)) {
    if (key.startsWith(`${DELETE_FROM_PRIMITIVE_LIST}/`) || key === DELETE_FROM_PRIMITIVE_LIST) {
      const field = directiveField(key, DELETE_FROM_PRIMITIVE_LIST, badPrimitiveList);
      if (!Array.isArray(patchValue)) throw badPrimitiveList();
      const current = original[field];
      if (Array.isArray(current)) original[field] = current.filter((v) => !patchValue.includes(v));
      continue;
    }
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const fieldType = childType(type, key);
    const current = original[key];
    if (current === undefined || kindOf(current) !== kindOf(patchValue)) {
      original[key] = fresh(patchValue, fieldType);
    } else if (isJsonObject(current)) {
      original[key] = patchMeta(fieldType).strategy === 'replace' ? patchValue : mergeMap(current, patchValue as JsonObject, fieldType);
    } else if (Array.isArray(current)) {
      const meta = patchMeta(fieldType);
      original[key] =
        meta.strategy === 'merge'
          ? mergeSlice(current, patchValue as unknown[], elementType(fieldType), meta.mergeKey)
          : patchValue;
    } else {
      original[key] = patchValue;
    }
  }
  return original;
}

/** A patch value for a field the original lacks: the patch applied to nothing (directives and nulls go). */
function fresh(value: unknown, type: ResolvedType): unknown {
  if (isJsonObject(value)) return patchMeta(type).strategy === 'replace' ? value : mergeMap({}, value, type);
  if (Array.isArray(value)) {
    const meta = patchMeta(type);
    if (meta.strategy !== 'merge') return value;
    const elem = elementType(type);
    const items: unknown[] = value;
    return items
      .filter((item) => !(isJsonObject(item) && DIRECTIVE in item))
      .map((item) => (isJsonObject(item) ? mergeMap({}, item, elem) : item));
  }
  return value;
}

/** `$setElementOrder/containers` -> `containers`; `bad` when the key has no field part. */
function directiveField(key: string, prefix: string, bad: () => StatusError): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix || slash === key.length - 1) throw bad();
  return key.slice(slash + 1);
}

function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(RETAIN_KEYS in patch)) return;
  const retain = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(retain)) throw badRetainKeys();
  const keep = new Set(retain);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw badRetainKeys();
  }
  for (const k of Object.keys(original)) {
    if (!keep.has(k)) delete original[k];
  }
}

/** Processes each `$setElementOrder/<field>` with its list, leaving the rest of the patch to mergeMap. */
function applySetElementOrder(original: JsonObject, patch: JsonObject, type: ResolvedType): void {
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    delete patch[key];
    if (!Array.isArray(order)) throw mergeFailed(`expected a []interface {}, but received a ${goType(order)}`);
    const field = directiveField(key, SET_ELEMENT_ORDER, badSetElementOrder);
    const originalList = original[field];
    const patchList = patch[field];
    if (originalList !== undefined && !Array.isArray(originalList)) {
      throw mergeFailed(`expected a []interface {}, but received a ${goType(originalList)}`);
    }
    if (patchList !== undefined && !Array.isArray(patchList)) {
      throw mergeFailed(`expected a []interface {}, but received a ${goType(patchList)}`);
    }
    const fieldType = childType(type, field);
    const meta = patchMeta(fieldType);
    validateWithSetOrderList(patchList ?? [], order, meta.mergeKey);

    let merged: unknown[];
    if (originalList && patchList) {
      merged =
        meta.strategy === 'merge' ? mergeSlice(originalList, patchList, elementType(fieldType), meta.mergeKey) : patchList;
    } else if (patchList) {
      merged = fresh(patchList, fieldType) as unknown[];
    } else if (originalList) {
      merged = originalList;
    } else {
      continue;
    }
    const kind = sliceElementKind(originalList ?? [], patchList ?? []);
    const { inList, notInList } = partition(merged, order, meta.mergeKey, kind);
    original[field] = normalizeElementOrder(inList, notInList, order, originalList ?? [], meta.mergeKey, kind);
    delete patch[field];
  }
}

function goType(v: unknown): string {
  if (Array.isArray(v)) return '[]interface {}';
  if (isJsonObject(v)) return 'map[string]interface {}';
  if (v === null) return '<nil>';
  return typeof v === 'number' ? 'float64' : typeof v === 'boolean' ? 'bool' : 'string';
}

/** The items of the patch (deletions aside) must appear in the order list, in its order. */
function validateWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isJsonObject(v) && v[DIRECTIVE] === 'delete')) : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isJsonObject(items[p]) && DIRECTIVE in (items[p] as JsonObject)) {
      p++;
      continue;
    }
    if (keyOf(items[p], mergeKey) === keyOf(order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) {
    throw mergeFailed(
      `The order in patch list:\n${goValue(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goValue(order)}\n`,
    );
  }
}

/** The identity of a list item: its merge key's value for maps, the item itself for scalars. */
function keyOf(item: unknown, mergeKey: string): unknown {
  if (!mergeKey) return item;
  if (!isJsonObject(item)) throw mergeFailed(`expected a map[string]interface {}, but received a ${goType(item)}`);
  if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
  return item[mergeKey];
}

/** 'object' or 'scalar' for the elements of the lists; lists of lists and mixed lists fail. */
function sliceElementKind(...lists: unknown[][]): ValueKind {
  let kind: ValueKind | undefined;
  for (const l of lists) {
    for (const v of l) {
      const k = kindOf(v);
      if (kind === undefined) {
        if (k === 'array') throw noListOfLists();
        kind = k;
      } else if (k !== kind) {
        throw mergeFailed(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  return kind ?? 'scalar';
}

/** Merges two lists with the merge strategy: by merge key for maps, as a set for scalars. */
function mergeSlice(original: unknown[], patch: unknown[], elemType: ResolvedType, mergeKey: string): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let merged: unknown[];
  if (kind !== 'object') {
    merged = [...new Set([...original, ...patch])];
  } else {
    if (!mergeKey) throw mergeFailed('cannot merge lists without merge key for type struct');
    ({ original, patch } = mergeSpecialElements(original, patch, mergeKey, elemType));
    merged = [...original];
    for (const item of patch as JsonObject[]) {
      const value = keyOf(item, mergeKey);
      const i = findByKey(merged, mergeKey, value);
      if (i >= 0) merged[i] = mergeMap(merged[i] as JsonObject, item, elemType);
      else merged.push(mergeMap({}, item, elemType));
    }
  }
  const { inList, notInList } = partition(merged, patch, mergeKey, kind);
  return normalizeElementOrder(inList, notInList, patch, original, mergeKey, kind);
}

function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isJsonObject(item)) throw mergeFailed(`value for key ${i} is not a map.`);
    if (mergeKey in item && item[mergeKey] === value) return i;
  }
  return -1;
}

/** Applies `$patch` items of a merge list: deletions by key, `replace` of the whole list. */
function mergeSpecialElements(
  original: unknown[],
  patch: unknown[],
  mergeKey: string,
  elemType: ResolvedType,
): { original: unknown[]; patch: unknown[] } {
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch as JsonObject[]) {
    if (!(DIRECTIVE in v)) {
      plain.push(v);
      continue;
    }
    switch (v[DIRECTIVE]) {
      case 'delete': {
        if (!(mergeKey in v)) throw noMergeKey(v, mergeKey);
        const value = v[mergeKey];
        original = original.filter((item) => !(isJsonObject(item) && item[mergeKey] === value));
        break;
      }
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw mergeFailed('merging lists cannot yet be specified in the patch');
      default:
        throw mergeFailed(`unknown patch type: ${goValue(v[DIRECTIVE])} in map: ${goValue(v)}`);
    }
  }
  if (replace) return { original: plain.map((item) => mergeMap({}, item as JsonObject, elemType)), patch: [] };
  return { original, patch: plain };
}

function partition(list: unknown[], by: unknown[], mergeKey: string, kind: ValueKind): { inList: unknown[]; notInList: unknown[] } {
  const keys = new Set(kind === 'object' ? by.filter((v) => isJsonObject(v) && mergeKey in v).map((v) => keyOf(v, mergeKey)) : by);
  const inList: unknown[] = [];
  const notInList: unknown[] = [];
  for (const v of list) (keys.has(kind === 'object' ? keyOf(v, mergeKey) : v) ? inList : notInList).push(v);
  return { inList, notInList };
}

/**
 * Orders `patchItems` as `patchOrder` and `serverOnly` as `serverOrder`, then interleaves them:
 * a server-only item goes before a patch item when the live list had it first.
 */
function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ValueKind,
): unknown[] {
  const identity = (v: unknown): unknown => (kind === 'object' ? (isJsonObject(v) ? v[mergeKey] : undefined) : v);
  const indexIn = (list: unknown[], v: unknown): number => {
    const id = identity(v);
    return list.findIndex((x) => identity(x) === id);
  };
  const sortBy = (items: unknown[], order: unknown[]): unknown[] => {
    if (kind === 'object') {
      for (const v of [...items, ...order]) keyOf(v, mergeKey);
    }
    const deletions = items.filter((v) => isJsonObject(v) && v[DIRECTIVE] === 'delete');
    const rest = items.filter((v) => !deletions.includes(v));
    const found = rest.filter((v) => indexIn(order, v) >= 0).sort((a, b) => indexIn(order, a) - indexIn(order, b));
    const missing = rest.filter((v) => indexIn(order, v) < 0);
    return [...found, ...missing, ...deletions];
  };
  const left = sortBy(serverOnly, serverOrder);
  const right = sortBy(patchItems, patchOrder);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i]);
      const ri = indexIn(serverOrder, right[j]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Decodes and applies a strategic merge patch body to `current` of root type `root`. */
export function applyStrategicMergePatch(current: JsonObject, body: string, root: TypeRef): JsonObject {
  return strategicMergePatch(current, decodeStrategicMergePatch(body), root);
}
