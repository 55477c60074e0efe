/**
 * Server-side apply's operations on an object, guided by the type tree of patch_strategies.ts
 * (what structured-merge-diff's typed package does with an OpenAPI-derived schema):
 *
 * - `toFieldSet`: the fields a value sets (an applied configuration's ownership);
 * - `compareValues`: the fields added, removed and modified between two values;
 * - `mergeValues`: an applied configuration merged into the live object;
 * - `removePaths`: the live object without some fields (pruning what an applier dropped).
 *
 * Lists are atomic (one field, replaced whole), sets (`v:` items) or maps (`k:` items keyed by
 * their list-map keys); structs and maps merge field by field unless marked atomic.
 */
import { statusFailure } from '../errors.js';
import { deepCopy, isJsonObject, type JsonObject } from '../object.js';
import { FieldSet, fieldElement, keyElement, pathString, valueElement, type FieldPath, type PathElement } from './field_set.js';
import { jsonEqual } from './json_values.js';
import { childType, elementType, listSemantics, type ResolvedType } from './patch_strategies.js';

/** How a value of this type is owned and merged. */
type Shape =
  | { kind: 'leaf' }
  | { kind: 'object'; entriesAreMembers: boolean }
  | { kind: 'list'; listType: 'set' | 'map'; keys: readonly string[]; keyDefaults: Readonly<Record<string, string | number>> };

function shapeOf(type: ResolvedType): Shape {
  switch (type.kind) {
    case 'scalar':
      return { kind: 'leaf' };
    case 'any':
      return { kind: 'object', entriesAreMembers: false };
    case 'struct':
      return type.def.structType === 'atomic' ? { kind: 'leaf' } : { kind: 'object', entriesAreMembers: false };
    case 'map':
      return type.ref.mapType === 'atomic' ? { kind: 'leaf' } : { kind: 'object', entriesAreMembers: true };
    case 'list': {
      const { listType, keys } = listSemantics(type.ref);
      if (listType === 'atomic') return { kind: 'leaf' };
      return { kind: 'list', listType, keys, keyDefaults: type.ref.keyDefaults ?? {} };
    }
  }
}

/** The `k:`/`v:` element naming `item` in a set or associative list. */
function itemElement(shape: Extract<Shape, { kind: 'list' }>, item: unknown, path: FieldPath, index: number): PathElement {
  if (shape.listType === 'set') return valueElement(item);
  const keys: Record<string, unknown> = {};
  for (const k of shape.keys) {
    const v = isJsonObject(item) && item[k] !== undefined && item[k] !== null ? item[k] : shape.keyDefaults[k];
    if (v === undefined) {
      throw statusFailure(
        500,
        '',
        `${pathString(path)}: element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`,
      );
    }
    keys[k] = v;
  }
  return keyElement(keys);
}

/** The items of a list by their element, in order (the first of duplicates wins). */
function indexItems(shape: Extract<Shape, { kind: 'list' }>, list: unknown[], path: FieldPath): Map<PathElement, unknown> {
  const out = new Map<PathElement, unknown>();
  list.forEach((item, i) => {
    const el = itemElement(shape, item, path, i);
    if (!out.has(el)) out.set(el, item);
  });
  return out;
}

/** The fields `value` sets, below `path`. */
export function toFieldSet(value: unknown, type: ResolvedType, path: FieldPath = [], out = new FieldSet()): FieldSet {
  const shape = shapeOf(type);
  if (value === null || value === undefined || shape.kind === 'leaf') {
    out.insert(path);
  } else if (shape.kind === 'object') {
    if (!isJsonObject(value) || Object.keys(value).length === 0) {
      out.insert(path);
      return out;
    }
    for (const [k, v] of Object.entries(value)) {
      const childPath = [...path, fieldElement(k)];
      if (shape.entriesAreMembers) out.insert(childPath);
      toFieldSet(v, childType(type, k), childPath, out);
    }
  } else {
    if (!Array.isArray(value)) {
      out.insert(path);
      return out;
    }
    const elem = elementType(type);
    for (const [el, item] of indexItems(shape, value, path)) {
      const itemPath = [...path, el];
      out.insert(itemPath);
      if (shape.listType === 'map') toFieldSet(item, elem, itemPath, out);
    }
  }
  return out;
}

/**
 * The fields of a subtree that appears (or disappears) whole: every leaf, map, and list item in it
 * is a member; structs are not (in Kubernetes' typed objects they exist, empty, all along).
 */
function subtreeSet(value: unknown, type: ResolvedType, path: FieldPath, out: FieldSet): void {
  const shape = shapeOf(type);
  const structLike = type.kind === 'struct' || type.kind === 'any';
  if (shape.kind === 'object' && isJsonObject(value) && Object.keys(value).length > 0) {
    if (!structLike) out.insert(path);
    for (const [k, v] of Object.entries(value)) subtreeSet(v, childType(type, k), [...path, fieldElement(k)], out);
    return;
  }
  if (shape.kind === 'list' && Array.isArray(value)) {
    out.insert(path);
    const elem = shape.listType === 'map' ? elementType(type) : ({ kind: 'scalar' } as const);
    for (const [el, item] of indexItems(shape, value, path)) subtreeSet(item, elem, [...path, el], out);
    return;
  }
  out.insert(path);
}

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/** What changed from `before` to `after` (both values of `type`). */
export function compareValues(before: unknown, after: unknown, type: ResolvedType): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  compareAt(before, after, type, [], c);
  return c;
}

function compareAt(before: unknown, after: unknown, type: ResolvedType, path: FieldPath, c: Comparison): void {
  const shape = shapeOf(type);
  if (shape.kind === 'object' && isJsonObject(before) && isJsonObject(after)) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const childPath = [...path, fieldElement(k)];
      const t = childType(type, k);
      if (!(k in after)) subtreeSet(before[k], t, childPath, c.removed);
      else if (!(k in before)) subtreeSet(after[k], t, childPath, c.added);
      else compareAt(before[k], after[k], t, childPath, c);
    }
    return;
  }
  if (shape.kind === 'list' && Array.isArray(before) && Array.isArray(after)) {
    const elem = elementType(type);
    const b = indexItems(shape, before, path);
    const a = indexItems(shape, after, path);
    for (const [el, item] of b) {
      if (!a.has(el)) subtreeSet(item, shape.listType === 'map' ? elem : { kind: 'scalar' }, [...path, el], c.removed);
    }
    for (const [el, item] of a) {
      const itemPath = [...path, el];
      if (!b.has(el)) subtreeSet(item, shape.listType === 'map' ? elem : { kind: 'scalar' }, itemPath, c.added);
      else if (shape.listType === 'map') compareAt(b.get(el), item, elem, itemPath, c);
    }
    return;
  }
  if (!jsonEqual(before, after)) {
    c.modified.insert(path);
    if (shape.kind !== 'leaf' && after !== null && typeof after === 'object') toFieldSet(after, type, path, c.added);
  }
}

/** `config` merged into `live` (neither changes): config wins, lists merge by their keys. */
export function mergeValues(live: unknown, config: unknown, type: ResolvedType, path: FieldPath = []): unknown {
  const shape = shapeOf(type);
  if (shape.kind === 'object' && isJsonObject(config)) {
    const out: JsonObject = isJsonObject(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(config)) {
      if (v === null) delete out[k];
      else out[k] = mergeValues(out[k], v, childType(type, k), [...path, fieldElement(k)]);
    }
    return out;
  }
  if (shape.kind === 'list' && Array.isArray(config)) {
    return mergeLists(Array.isArray(live) ? live : [], config, shape, elementType(type), path);
  }
  return deepCopy(config);
}

/**
 * Merges associative lists/sets. Items keep the live order; config items the live list lacks
 * come after the config item before them, and items both share follow the config's order.
 */
function mergeLists(
  live: unknown[],
  config: unknown[],
  shape: Extract<Shape, { kind: 'list' }>,
  elem: ResolvedType,
  path: FieldPath,
): unknown[] {
  const lhs = live.map((item, i) => ({ el: itemElement(shape, item, path, i), item }));
  const rhs = config.map((item, i) => ({ el: itemElement(shape, item, path, i), item }));
  const inLhs = new Map(lhs.map((x) => [x.el, x.item]));
  const inRhs = new Map(rhs.map((x) => [x.el, x.item]));
  const done = new Set<PathElement>();
  const out: unknown[] = [];
  const emit = (el: PathElement): void => {
    if (done.has(el)) return;
    done.add(el);
    const l = inLhs.get(el);
    const r = inRhs.get(el);
    out.push(r === undefined ? l : shape.listType === 'map' ? mergeValues(l, r, elem, [...path, el]) : deepCopy(r));
  };
  // structured-merge-diff's order: walk both lists; live-only items come as soon as they are
  // reached, shared items in the config's order, config-only items after the config item before.
  const sharedOrder = rhs.filter((x) => inLhs.has(x.el)).map((x) => x.el);
  const nextShared = (): PathElement | undefined => sharedOrder.find((el) => !done.has(el));
  let li = 0;
  const flush = (): void => {
    while (li < lhs.length) {
      const l = lhs[li] as { el: PathElement };
      if (done.has(l.el)) li++;
      else if (!inRhs.has(l.el)) emit(lhs[li++]?.el as PathElement);
      else if (l.el !== nextShared()) li++;
      else break;
    }
  };
  for (const r of rhs) {
    flush();
    if (lhs[li]?.el === r.el) li++;
    emit(r.el);
  }
  flush();
  return out;
}

/** `value` without the fields in `paths` (each removed whole, with what lies below it). */
export function removePaths(value: JsonObject, paths: readonly FieldPath[], type: ResolvedType): JsonObject {
  const out = deepCopy(value);
  for (const p of paths) removeOne(out, p, type);
  return out;
}

function removeOne(node: unknown, path: FieldPath, type: ResolvedType): void {
  const [el, ...rest] = path;
  if (el === undefined) return;
  if (el.startsWith('f:') && isJsonObject(node)) {
    const k = el.slice(2);
    if (rest.length === 0) delete node[k];
    else removeOne(node[k], rest, childType(type, k));
    return;
  }
  const shape = shapeOf(type);
  if (shape.kind !== 'list' || !Array.isArray(node)) return;
  const i = node.findIndex((item, idx) => {
    try {
      return itemElement(shape, item, [], idx) === el;
    } catch {
      return false;
    }
  });
  if (i < 0) return;
  if (rest.length === 0) node.splice(i, 1);
  else removeOne(node[i], rest, elementType(type));
}
