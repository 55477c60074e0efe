/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`): objects merge key by key, `null`
 * deletes a key, anything else (arrays included) replaces. Nulls inside newly added objects are
 * dropped, as evanphx/json-patch (kube-apiserver's implementation) does.
 *
 * A body that is not JSON, or not a JSON object, is answered 400 "Invalid JSON Patch".
 */
import { badRequest } from '../errors.js';
import { deepCopy, isJsonObject, type JsonObject } from '../object.js';

/** Parses a merge patch body; 400 "Invalid JSON Patch" unless it is a JSON object. */
export function decodeMergePatch(body: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw badRequest('Invalid JSON Patch');
  }
  if (!isJsonObject(parsed)) throw badRequest('Invalid JSON Patch');
  return parsed;
}

/** Drops null-valued keys from objects, recursively (through arrays too; null array items stay). */
export function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruneNulls);
  if (!isJsonObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, child] of Object.entries(v)) {
    if (child !== null) out[k] = pruneNulls(child);
  }
  return out;
}

/** RFC 7386 MergePatch(target, patch); returns a new value and changes neither argument. */
export function mergePatchValue(target: unknown, patch: unknown): unknown {
  return mergeInto(deepCopy(target), patch);
}

/** Merges `patch` into `target`, which it may change and return. */
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return deepCopy(patch);
  const out: JsonObject = isJsonObject(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) {
      delete out[k];
    } else if (isJsonObject(v) && isJsonObject(out[k])) {
      out[k] = mergeInto(out[k], v);
    } else {
      out[k] = pruneNulls(deepCopy(v));
    }
  }
  return out;
}

/** Decodes and applies a merge patch body to `current`, throwing a StatusError on a bad body. */
export function applyMergePatch(current: JsonObject, body: string): JsonObject {
  return mergePatchValue(current, decodeMergePatch(body)) as JsonObject;
}
