/**
 * PATCH: JSON patch, merge patch, strategic merge patch (built-in kinds only, as Kubernetes)
 * and server-side apply (src/api/patch), each applied to the current object inside a retrying
 * read-modify-write. Apply creates the object when it does not exist (201).
 */
import { badRequest, isStatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { groupVersion } from '../../api/registry.js';
import { APPLY_PATCH, applyPatch, checkPatchType, validatePatchOptions, type PatchType } from '../../api/patch/patch.js';
import { checkFields, parseFieldValidation, warningHeaders } from '../field_validation.js';
import { decodeUtf8, readBody, writeJson } from '../http_io.js';
import { requestContext, type HandlerContext } from './context.js';

/** A decoded patch, to apply to objects of the endpoint's kind or of another (a Scale). */
export interface Patch {
  type: PatchType;
  apply(current: KubeObject | undefined, target: { apiVersion: string; kind: string }): KubeObject;
}

/** Reads the patch body and checks type and options; 415 for unknown media types, 422 for bad options. */
export async function patchBody(ctx: HandlerContext): Promise<Patch> {
  const rt = ctx.resource;
  const type = checkPatchType(ctx.req.headers['content-type'], rt.group, rt.kind);
  const force = ctx.query.get('force');
  const fieldManager = ctx.query.get('fieldManager') ?? undefined;
  validatePatchOptions(type, { fieldManager, force: force === null ? undefined : force === 'true' });
  const body = decodeUtf8(await readBody(ctx.req));
  const wctx = requestContext(ctx);
  const subresource = ctx.info.subresource;
  return {
    type,
    apply: (current, target) =>
      applyPatch(type, current, body, {
        apiVersion: target.apiVersion,
        kind: target.kind,
        fieldManager: wctx.fieldManager,
        force: force === 'true',
        now: new Date(ctx.now),
        subresource,
        ignoredFields: subresource === undefined && rt.subresources?.status ? [['f:status']] : [],
      }),
  };
}

export async function handlePatch(ctx: HandlerContext): Promise<void> {
  const { namespace, subresource } = ctx.info;
  const name = ctx.info.name as string;
  const rt = ctx.resource;
  const patch = await patchBody(ctx);
  const wctx = requestContext(ctx);
  const sub = subresource === 'status' ? 'status' : undefined;
  const target = { apiVersion: groupVersion(rt), kind: rt.kind };
  const directive = parseFieldValidation(ctx.query.get('fieldValidation'));
  // Apply sets managedFields itself; other patches are tracked as Update by the store.
  wctx.managedFieldsDone = patch.type === APPLY_PATCH;
  const patched = (current: KubeObject | undefined): KubeObject => {
    const obj = patch.apply(current, target);
    obj.metadata ??= {};
    if (obj.apiVersion !== undefined && obj.apiVersion !== target.apiVersion) {
      throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${target.apiVersion})`);
    }
    const warnings = checkFields(rt, obj, directive);
    if (warnings.length > 0) ctx.res.setHeader('Warning', warningHeaders(warnings));
    return obj;
  };
  try {
    writeJson(ctx.res, 200, await ctx.store.guaranteedUpdate(namespace, name, patched, wctx, sub));
  } catch (err) {
    if (!(patch.type === APPLY_PATCH && sub === undefined && isStatusError(err, 'NotFound'))) throw err;
    const created = patched(undefined);
    created.metadata.name ??= name;
    writeJson(ctx.res, 201, await ctx.store.create(namespace, created, wctx));
  }
}
