/**
 * JSON patch (RFC 6902, `application/json-patch+json`) over plain JSON values, with JSON
 * pointers (RFC 6901), behaving as the library kube-apiserver uses (evanphx/json-patch v4):
 * negative array indices count from the end, `test` of a missing path against null passes.
 *
 * Errors are answered as kube-apiserver answers them: a body that is not a list of operations
 * is 400 BadRequest; an operation that cannot be applied (missing path, failed `test`, unknown
 * op) is 422 with kube-apiserver's fixed, generic message; more than 10000 operations is 413.
 * The specific reason rides along as the StatusError's `cause`.
 */
import { badRequest, requestEntityTooLarge, statusFailure, type StatusError } from '../errors.js';
import { deepCopy, isJsonObject } from '../object.js';
import { describeJsonError, jsonEqual } from './json_values.js';

/** kube-apiserver's limit on the number of operations in one JSON patch. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

/** An operation that cannot be applied; reported to the client as a 422. */
export class JsonPatchError extends Error {
  override name = 'JsonPatchError';
}

/** The 422 kube-apiserver answers when a JSON patch does not apply (its message is fixed). */
export function jsonPatchApplyFailed(cause: unknown): StatusError {
  const err = statusFailure(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
  return Object.assign(err, { cause });
}

/** Parses a JSON patch body into its operations; 400 when it is not a JSON list of objects. */
export function decodeJsonPatch(body: string): JsonPatchOperation[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw badRequest(describeJsonError(err));
  }
  if (!Array.isArray(parsed)) {
    throw badRequest(`json: cannot unmarshal ${goJsonKind(parsed)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of parsed) {
    if (!isJsonObject(op)) {
      throw badRequest(`json: cannot unmarshal ${goJsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (parsed.length > MAX_JSON_PATCH_OPERATIONS) {
    throw requestEntityTooLarge(
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${parsed.length}`,
    );
  }
  return parsed as JsonPatchOperation[];
}

function goJsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : typeof v;
}

/** Splits a JSON pointer into unescaped tokens (`~1` is `/`, `~0` is `~`); '' is the whole document. */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new JsonPatchError(`JSON pointer must be empty or start with a "/": ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = Record<string, unknown> | unknown[];

/** The parent container of `tokens` and the last token; throws when the parent is missing. */
function parentOf(doc: unknown, tokens: string[], op: string, path: string): { parent: Container; key: string } {
  let node = doc;
  for (const token of tokens.slice(0, -1)) {
    node = childOf(node, token);
    if (node === undefined) throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}"`);
  }
  if (!(isJsonObject(node) || Array.isArray(node))) {
    throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}"`);
  }
  return { parent: node, key: tokens[tokens.length - 1] ?? '' };
}

function childOf(node: unknown, token: string): unknown {
  if (Array.isArray(node)) {
    const i = arrayIndex(token, node.length, false);
    return i === undefined ? undefined : node[i];
  }
  if (isJsonObject(node)) return Object.prototype.hasOwnProperty.call(node, token) ? node[token] : undefined;
  return undefined;
}

/** The index a token names in an array of `length`; negative indices count from the end. */
function arrayIndex(token: string, length: number, inserting: boolean): number | undefined {
  if (!/^-?(0|[1-9][0-9]*)$/.test(token)) return undefined;
  let i = Number(token);
  const limit = inserting ? length : length - 1;
  if (i < 0) {
    i += limit + 1;
    if (i < 0) return undefined;
  }
  return i > limit ? undefined : i;
}

function getValue(doc: unknown, path: string, op: string): unknown {
  let node = doc;
  for (const token of parsePointer(path)) {
    node = childOf(node, token);
    if (node === undefined) throw new JsonPatchError(`${op} operation does not apply: doc is missing path: "${path}"`);
  }
  return node;
}

function addValue(doc: unknown, path: string, value: unknown, op: string): unknown {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = key === '-' ? parent.length : arrayIndex(key, parent.length, true);
    if (i === undefined) throw new JsonPatchError(`${op} operation does not apply: index out of range: "${path}"`);
    parent.splice(i, 0, value);
  } else {
    parent[key] = value;
  }
  return doc;
}

function removeValue(doc: unknown, path: string, op: string): { doc: unknown; removed: unknown } {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return { doc: null, removed: doc };
  const { parent, key } = parentOf(doc, tokens, op, path);
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, false);
    if (i === undefined) throw new JsonPatchError(`${op} operation does not apply: index out of range: "${path}"`);
    return { doc, removed: parent.splice(i, 1)[0] };
  }
  if (!Object.prototype.hasOwnProperty.call(parent, key)) {
    throw new JsonPatchError(`Unable to ${op} nonexistent key: ${key}: missing value`);
  }
  const removed = parent[key];
  delete parent[key];
  return { doc, removed };
}

function requireValue(op: JsonPatchOperation): unknown {
  if (!('value' in op)) throw new JsonPatchError(`${op.op} operation has no value`);
  return op.value;
}

function requireString(op: JsonPatchOperation, field: 'path' | 'from'): string {
  const v = op[field];
  if (typeof v !== 'string') throw new JsonPatchError(`${op.op} operation missing ${field} string`);
  return v;
}

/**
 * Applies `ops` to a copy of `doc` and returns the result; `doc` is not changed.
 * Throws JsonPatchError when an operation does not apply.
 */
export function applyJsonPatchOperations(doc: unknown, ops: readonly JsonPatchOperation[]): unknown {
  let out = deepCopy(doc);
  for (const op of ops) {
    const path = requireString(op, 'path');
    switch (op.op) {
      case 'add':
        out = addValue(out, path, deepCopy(requireValue(op)), 'add');
        break;
      case 'remove':
        out = removeValue(out, path, 'remove').doc;
        break;
      case 'replace': {
        const value = deepCopy(requireValue(op));
        if (path === '') {
          out = value;
          break;
        }
        getValue(out, path, 'replace');
        const { parent, key } = parentOf(out, parsePointer(path), 'replace', path);
        if (Array.isArray(parent)) parent[arrayIndex(key, parent.length, false) ?? 0] = value;
        else parent[key] = value;
        break;
      }
      case 'move': {
        const from = requireString(op, 'from');
        if (path !== from && path.startsWith(`${from}/`)) {
          throw new JsonPatchError(`move operation cannot move a value into its own child: "${from}" to "${path}"`);
        }
        const removed = removeValue(out, from, 'move');
        out = addValue(removed.doc, path, removed.removed, 'move');
        break;
      }
      case 'copy': {
        const value = getValue(out, requireString(op, 'from'), 'copy');
        out = addValue(out, path, deepCopy(value), 'copy');
        break;
      }
      case 'test': {
        const expected = 'value' in op ? op.value : null;
        let actual: unknown;
        try {
          actual = getValue(out, path, 'test');
        } catch (err) {
          if (expected === null) break;
          throw err;
        }
        if (!jsonEqual(actual, expected)) throw new JsonPatchError(`testing value ${path} failed: test failed`);
        break;
      }
      default:
        throw new JsonPatchError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return out;
}

/** Decodes and applies a JSON patch body, throwing the StatusError kube-apiserver would answer. */
export function applyJsonPatch(current: unknown, body: string): unknown {
  const ops = decodeJsonPatch(body);
  try {
    return applyJsonPatchOperations(current, ops);
  } catch (err) {
    if (err instanceof JsonPatchError) throw jsonPatchApplyFailed(err);
    throw err;
  }
}
