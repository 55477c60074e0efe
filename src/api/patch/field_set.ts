/**
 * Sets of field paths, as server-side apply records ownership (sigs.k8s.io/structured-merge-diff's
 * fieldpath.Set), and their `FieldsV1` encoding in managedFields entries:
 *
 *   {"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{}}}}}
 *
 * A path is a list of elements: `f:<field>` (a field or map key), `k:<json>` (the item of an
 * associative list with these key fields), `v:<json>` (the item of a set), `i:<n>` (an index).
 * In FieldsV1 a leaf `{}` is a member; `".": {}` marks a member that also has children.
 */
import { isJsonObject, type JsonObject } from '../object.js';

export type PathElement = string;
export type FieldPath = readonly PathElement[];

// Elements never contain NUL (JSON escapes control characters), so it can join them.
const SEP = '\u0000';

export class FieldSet {
  private readonly members: Set<string>;

  constructor(paths: Iterable<FieldPath> = []) {
    this.members = new Set();
    for (const p of paths) this.insert(p);
  }

  private static fromKeys(keys: Iterable<string>): FieldSet {
    const s = new FieldSet();
    for (const k of keys) s.members.add(k);
    return s;
  }

  insert(path: FieldPath): void {
    if (path.length > 0) this.members.add(path.join(SEP));
  }

  has(path: FieldPath): boolean {
    return this.members.has(path.join(SEP));
  }

  get size(): number {
    return this.members.size;
  }

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  paths(): FieldPath[] {
    return [...this.members].map((k) => k.split(SEP));
  }

  union(other: FieldSet): FieldSet {
    const s = FieldSet.fromKeys(this.members);
    for (const k of other.members) s.members.add(k);
    return s;
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.fromKeys([...this.members].filter((k) => !other.members.has(k)));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.fromKeys([...this.members].filter((k) => other.members.has(k)));
  }

  equals(other: FieldSet): boolean {
    return this.size === other.size && [...this.members].every((k) => other.members.has(k));
  }

  /** This set without the members that start with `prefix` (the prefix itself included). */
  withoutPrefix(prefix: FieldPath): FieldSet {
    const p = prefix.join(SEP);
    return FieldSet.fromKeys([...this.members].filter((k) => k !== p && !k.startsWith(p + SEP)));
  }

  /**
   * This set plus every ancestor that ends in a field (`f:`) element: what structured-merge-diff
   * calls EnsureNamedFieldsAreMembers, used when deciding what an applier's removal may prune.
   */
  withFieldAncestors(): FieldSet {
    const out = new Set(this.members);
    for (const k of this.members) {
      const parts = k.split(SEP);
      for (let i = 1; i < parts.length; i++) {
        if (parts[i - 1]?.startsWith('f:')) out.add(parts.slice(0, i).join(SEP));
      }
    }
    return FieldSet.fromKeys(out);
  }

  /** Decodes FieldsV1; throws an Error naming the problem when it is malformed. */
  static fromFieldsV1(v: unknown): FieldSet {
    const set = new FieldSet();
    const walk = (node: unknown, path: PathElement[]): void => {
      if (!isJsonObject(node)) throw new Error(`FieldsV1: expected an object at ${pathString(path) || '<root>'}`);
      for (const [k, child] of Object.entries(node)) {
        if (k === '.') {
          set.insert(path);
          continue;
        }
        if (!/^[fkvi]:/.test(k)) throw new Error(`FieldsV1: unknown path element ${JSON.stringify(k)}`);
        const childPath = [...path, k];
        if (isJsonObject(child) && Object.keys(child).length === 0) set.insert(childPath);
        else walk(child, childPath);
      }
    };
    walk(v, []);
    return set;
  }

  /** Encodes FieldsV1, children in structured-merge-diff's order (fields, keys, values, indices). */
  toFieldsV1(): JsonObject {
    // Every write encodes its managedFields, so this is on the API server's write path: members
    // are walked element by element without splitting them into arrays.
    const root: EncodeNode = { member: false, children: new Map() };
    for (const k of this.members) {
      let node = root;
      let from = 0;
      for (;;) {
        const to = k.indexOf(SEP, from);
        const el = to < 0 ? k.slice(from) : k.slice(from, to);
        let next = node.children.get(el);
        if (!next) {
          next = { member: false, children: new Map() };
          node.children.set(el, next);
        }
        node = next;
        if (to < 0) break;
        from = to + 1;
      }
      node.member = true;
    }
    return encodeNode(root);
  }
}

interface EncodeNode {
  member: boolean;
  children: Map<string, EncodeNode>;
}

function encodeNode(node: EncodeNode): JsonObject {
  const out: JsonObject = {};
  if (node.member && node.children.size > 0) out['.'] = {};
  const elements = [...node.children.keys()];
  if (elements.length > 1) elements.sort(compareElements);
  for (const el of elements) out[el] = encodeNode(node.children.get(el) as EncodeNode);
  return out;
}

/** Rank of an element's kind in FieldsV1 order: fields, keys, values, indices. */
function elementRank(el: string): number {
  switch (el.charCodeAt(0)) {
    case 0x66: // f
      return 0;
    case 0x6b: // k
      return 1;
    case 0x76: // v
      return 2;
    case 0x69: // i
      return 3;
    default:
      return el === '' ? 0 : -1;
  }
}

function compareElements(a: string, b: string): number {
  const d = elementRank(a) - elementRank(b);
  if (d !== 0) return d;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `f:name` for a field or map key. */
export const fieldElement = (name: string): PathElement => `f:${name}`;

/** `k:{"name":"web"}` for an associative list item; key fields are sorted by name. */
export function keyElement(keys: Readonly<Record<string, unknown>>): PathElement {
  const sorted: JsonObject = {};
  for (const k of Object.keys(keys).sort()) sorted[k] = keys[k];
  return `k:${JSON.stringify(sorted)}`;
}

/** `v:"foo"` for an item of a set. */
export const valueElement = (value: unknown): PathElement => `v:${JSON.stringify(value)}`;

/**
 * A path as structured-merge-diff prints it in conflict messages:
 * `.spec.template.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`, `.x[0]`.
 */
export function pathString(path: FieldPath): string {
  let out = '';
  for (const el of path) {
    const body = el.slice(2);
    switch (el[0]) {
      case 'f':
        out += `.${body}`;
        break;
      case 'k': {
        let keys: unknown;
        try {
          keys = JSON.parse(body);
        } catch {
          keys = {};
        }
        const parts = isJsonObject(keys) ? Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`) : [];
        out += `[${parts.join(',')}]`;
        break;
      }
      case 'v':
        out += `[=${body}]`;
        break;
      default:
        out += `[${body}]`;
    }
  }
  return out;
}
