/**
 * PATCH: JSON patch, merge patch, strategic merge patch (built-in kinds only, as Kubernetes)
 * and server-side apply, each applied to the current object inside a retrying read-modify-write.
 * Apply creates the object when it does not exist.
 */
import { badRequest, isStatusError, unsupportedMediaType } from '../../api/errors.js';
import { formatApiVersion, isJsonObject, type JsonObject, type KubeObject } from '../../api/object.js';
import { groupVersion } from '../../api/registry.js';
import { decodeApplyPatch, serverSideApply } from '../../api/patch/apply.js';
import { applyJsonPatch } from '../../api/patch/json_patch.js';
import { applyMergePatch } from '../../api/patch/merge_patch.js';
import { isBuiltinKind, rootType } from '../../api/patch/patch_strategies.js';
import { applyStrategicMergePatch } from '../../api/patch/strategic_merge.js';
import { checkFields, parseFieldValidation, warningHeaders } from '../field_validation.js';
import { contentType, decodeUtf8, readBody, writeJson } from '../http_io.js';
import { requestContext, type HandlerContext } from './context.js';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
] as const;

export type PatchType = (typeof PATCH_TYPES)[number];

interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** A decoded patch body, ready to apply to objects of a given kind. */
export interface Patch {
  type: Exclude<PatchType, 'application/apply-patch+yaml'>;
  apply(obj: JsonObject, gvk: Gvk): JsonObject;
}

function unsupported(smp: boolean): never {
  const accepted = smp ? PATCH_TYPES : PATCH_TYPES.filter((t) => t !== 'application/strategic-merge-patch+json');
  throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

/** Reads a non-apply patch body; 415 for other media types. */
export async function patchBody(ctx: HandlerContext): Promise<Patch> {
  const type = contentType(ctx.req);
  const smpAllowed = isBuiltinKind(ctx.resource.group, ctx.resource.kind);
  if (!PATCH_TYPES.includes(type as PatchType) || type === 'application/apply-patch+yaml') unsupported(smpAllowed);
  const body = decodeUtf8(await readBody(ctx.req));
  switch (type as Patch['type']) {
    case 'application/json-patch+json':
      return { type: 'application/json-patch+json', apply: (obj) => asObject(applyJsonPatch(obj, body)) };
    case 'application/merge-patch+json':
      return { type: 'application/merge-patch+json', apply: (obj) => applyMergePatch(obj, body) };
    case 'application/strategic-merge-patch+json':
      if (!smpAllowed) unsupported(false);
      return {
        type: 'application/strategic-merge-patch+json',
        apply: (obj, gvk) => applyStrategicMergePatch(obj, body, rootType(gvk.group, gvk.kind)),
      };
  }
}

function asObject(value: unknown): JsonObject {
  if (!isJsonObject(value)) throw badRequest('the patch must leave an object');
  return value;
}

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const { namespace, subresource } = ctx.info;
  const name = ctx.info.name as string;
  const rt = ctx.resource;
  const wctx = requestContext(ctx);
  const sub = subresource === 'status' ? 'status' : undefined;
  if (contentType(ctx.req) === 'application/apply-patch+yaml') {
    const manager = ctx.query.get('fieldManager');
    if (!manager) {
      throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    }
    const force = ctx.query.get('force') === 'true';
    const config = decodeApplyPatch(decodeUtf8(await readBody(ctx.req)));
    const applyCtx = { manager, apiVersion: groupVersion(rt), kind: rt.kind, force, now: new Date(ctx.now), subresource: sub };
    wctx.managedFieldsDone = true;
    try {
      const updated = await ctx.store.guaranteedUpdate(namespace, name, (current) => serverSideApply(current, config, applyCtx), wctx, sub);
      writeJson(ctx.res, 200, updated);
    } catch (err) {
      if (!isStatusError(err, 'NotFound') || sub) throw err;
      const created = serverSideApply(undefined, config, applyCtx);
      created.metadata.name ??= name;
      writeJson(ctx.res, 201, await ctx.store.create(namespace, created, wctx));
    }
    return;
  }
  const patch = await patchBody(ctx);
  const directive = parseFieldValidation(ctx.query.get('fieldValidation'));
  const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
  const updated = await ctx.store.guaranteedUpdate(
    namespace,
    name,
    (current) => {
      const patched = patch.apply(current, gvk) as KubeObject;
      patched.metadata ??= {};
      // A patch may not move the object: name and kind stay those of the URL.
      if (patched.apiVersion !== undefined && patched.apiVersion !== formatApiVersion(rt.group, rt.version)) {
        throw badRequest(`the API version in the data (${String(patched.apiVersion)}) does not match the expected API version (${groupVersion(rt)})`);
      }
      const warnings = checkFields(rt, patched, directive);
      if (warnings.length > 0) ctx.res.setHeader('Warning', warningHeaders(warnings));
      return patched;
    },
    wctx,
    sub,
  );
  writeJson(ctx.res, 200, updated);
}
