/**
 * The API server's entry to PATCH: which patch types a kind accepts, the checks on the request's
 * options, and `applyPatch`, which turns the stored object and a patch body into the object to
 * store. Pure functions: the server reads, calls these, then defaults, validates and writes.
 *
 * Contract with the server:
 * 1. `checkPatchType(contentType, group, kind)` — 415 for a type the kind does not take
 *    (strategic merge patch on custom resources, as kube-apiserver refuses it);
 * 2. `validatePatchOptions(type, options)` — 422 PatchOptions errors (apply without
 *    fieldManager, force on a non-apply patch, unprintable or over-long fieldManager);
 * 3. `applyPatch(type, current, body, ctx)` — the patched object; `current` is undefined only
 *    for apply, which then creates;
 * 4. for every write except apply (whose result already carries its managedFields):
 *    `updateManagedFields(old, obj, ...)` from managed_fields.ts, after defaulting.
 */
import { badRequest, invalid, unsupportedMediaType, type FieldError } from '../errors.js';
import { isJsonObject, parseApiVersion, type KubeObject } from '../object.js';
import { decodeApplyPatch, serverSideApply } from './apply.js';
import type { FieldPath } from './field_set.js';
import { applyJsonPatch } from './json_patch.js';
import { applyMergePatch } from './merge_patch.js';
import { isBuiltinKind, rootType } from './patch_strategies.js';
import { applyStrategicMergePatch } from './strategic_merge.js';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

export type PatchType = typeof JSON_PATCH | typeof MERGE_PATCH | typeof STRATEGIC_MERGE_PATCH | typeof APPLY_PATCH;

/** The patch types a kind accepts, in kube-apiserver's order (custom resources: no strategic merge). */
export function supportedPatchTypes(group: string, kind: string): PatchType[] {
  return isBuiltinKind(group, kind)
    ? [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH]
    : [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];
}

/** The patch type of a Content-Type header (parameters ignored), or 415 with the accepted types. */
export function checkPatchType(contentType: string | undefined, group: string, kind: string): PatchType {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const accepted = supportedPatchTypes(group, kind);
  const found = accepted.find((t) => t === mediaType);
  if (!found) {
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    );
  }
  return found;
}

/** kube-apiserver's limit on fieldManager's length. */
export const FIELD_MANAGER_MAX_LENGTH = 128;

/** The PATCH query options that concern patching. `force` is undefined when not given. */
export interface PatchOptions {
  fieldManager?: string;
  force?: boolean;
}

/** The checks kube-apiserver makes on PatchOptions; throws its 422 `PatchOptions.meta.k8s.io`. */
export function validatePatchOptions(type: PatchType, options: PatchOptions): void {
  const errors: FieldError[] = [];
  if (type !== APPLY_PATCH) {
    if (options.force !== undefined) errors.push({ type: 'Forbidden', field: 'force', detail: 'may not be specified for non-apply patch' });
  } else if (!options.fieldManager) {
    errors.push({ type: 'Required', field: 'fieldManager', detail: 'is required for apply patch' });
  }
  const manager = options.fieldManager ?? '';
  if (manager.length > FIELD_MANAGER_MAX_LENGTH) {
    errors.push({ type: 'TooLong', field: 'fieldManager', value: manager, detail: `may not be more than ${FIELD_MANAGER_MAX_LENGTH} bytes` });
  }
  [...manager].forEach((ch, i) => {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
      const code = ch.codePointAt(0) ?? 0;
      errors.push({
        type: 'Invalid',
        field: 'fieldManager',
        value: manager,
        detail: `invalid character U+${code.toString(16).toUpperCase().padStart(4, '0')} (at position ${i})`,
      });
    }
  });
  if (errors.length > 0) throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', errors);
}

export interface PatchContext {
  /** The API version of the endpoint (`apps/v1`), and the kind it serves. */
  apiVersion: string;
  kind: string;
  /** The manager name (fieldManager, or managerOrUserAgent()); required for apply. */
  fieldManager: string;
  force?: boolean;
  now: Date;
  subresource?: string;
  /** Fields the endpoint resets, left out of ownership (e.g. [['f:status']] on a main resource). */
  ignoredFields?: readonly FieldPath[];
}

/**
 * Applies a patch body of `type` to `current` and returns the new object (never `current`
 * itself, which is not changed). JSON, merge and strategic merge patches need `current`; apply
 * creates the object when `current` is undefined and returns it with managedFields updated.
 * Throws StatusErrors worded as kube-apiserver's (400 bad bodies, 409 apply conflicts, 422
 * patches that do not apply, 415 strategic merge on a custom resource).
 */
export function applyPatch(type: PatchType, current: KubeObject | undefined, body: string, ctx: PatchContext): KubeObject {
  const { group } = parseApiVersion(ctx.apiVersion);
  if (type === APPLY_PATCH) {
    const { fieldManager: manager, force = false, ...rest } = ctx;
    return serverSideApply(current, decodeApplyPatch(body), { ...rest, manager, force });
  }
  if (!current) throw badRequest('the object to patch does not exist');
  let result: unknown;
  switch (type) {
    case JSON_PATCH:
      result = applyJsonPatch(current, body);
      break;
    case MERGE_PATCH:
      result = applyMergePatch(current, body);
      break;
    case STRATEGIC_MERGE_PATCH:
      checkPatchType(type, group, ctx.kind);
      result = applyStrategicMergePatch(current, body, rootType(group, ctx.kind));
      break;
  }
  if (!isJsonObject(result)) {
    throw badRequest(`the patched object must be a JSON object, not ${Array.isArray(result) ? 'an array' : JSON.stringify(result)}`);
  }
  if (!isJsonObject(result.metadata)) result.metadata = {};
  return result as KubeObject;
}
