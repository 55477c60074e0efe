/**
 * POST (create), PUT (update, status update), PATCH, DELETE and DELETE of a collection. Bodies
 * are decoded and checked against the endpoint (apiVersion and kind) before anything reaches
 * the registry store; responses are the stored object, or a Status where Kubernetes sends one.
 */
import { badRequest, methodNotAllowed, statusSuccess } from '../../api/errors.js';
import { isJsonObject, type KubeObject } from '../../api/object.js';
import { groupVersion, type ResourceType } from '../../api/registry.js';
import { checkFields, parseFieldValidation, warningHeaders } from '../field_validation.js';
import { contentType, decodeObject, readBody, writeJson } from '../http_io.js';
import type { DeleteOptions } from '../registry_store.js';
import { integerParam, requestContext, selectorFilter, type HandlerContext } from './context.js';

/**
 * Decodes a body as an object of the endpoint's kind; 400 when it is another kind or version.
 * A missing kind or apiVersion defaults to the endpoint's, as the Kubernetes decoder does with
 * the URL's group, version and kind (client-node sends `{metadata: {name}}` to create).
 */
export function checkKind(rt: ResourceType, value: Record<string, unknown>): KubeObject {
  const gv = groupVersion(rt);
  const { apiVersion } = value;
  const kind = value.kind === undefined || value.kind === '' ? rt.kind : value.kind;
  if (apiVersion !== undefined && apiVersion !== '' && apiVersion !== gv) {
    throw badRequest(`the API version in the data (${JSON.stringify(apiVersion)}) does not match the expected API version (${gv})`);
  }
  if (kind !== rt.kind) {
    throw badRequest(`the kind in the data (${JSON.stringify(kind)}) does not match the expected kind (${rt.kind})`);
  }
  if (value.metadata === undefined) value.metadata = {};
  if (!isJsonObject(value.metadata)) throw badRequest('metadata must be an object');
  // kind and apiVersion first, as a Kubernetes server writes them, even when they were defaulted.
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = value;
  return { kind, apiVersion: gv, ...rest } as KubeObject;
}

async function decodeBody(ctx: HandlerContext): Promise<KubeObject> {
  const body = await readBody(ctx.req);
  const obj = checkKind(ctx.resource, decodeObject(body, contentType(ctx.req)));
  const warnings = checkFields(ctx.resource, obj, parseFieldValidation(ctx.query.get('fieldValidation')));
  if (warnings.length > 0) ctx.res.setHeader('Warning', warningHeaders(warnings));
  return obj;
}

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  if (ctx.info.name !== undefined) throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  const obj = await decodeBody(ctx);
  const created = await ctx.store.create(ctx.info.namespace, obj, requestContext(ctx));
  writeJson(ctx.res, 201, created);
}

export async function handleUpdate(ctx: HandlerContext): Promise<void> {
  const obj = await decodeBody(ctx);
  const { namespace, name, subresource } = ctx.info;
  const sub = subresource === 'status' || subresource === 'finalize' ? subresource : undefined;
  const updated = await ctx.store.update(namespace, name as string, obj, requestContext(ctx), sub);
  writeJson(ctx.res, 200, updated);
}

/** DeleteOptions from the body (kubectl sends one) and the query string. */
async function deleteOptions(ctx: HandlerContext): Promise<DeleteOptions> {
  const body = await readBody(ctx.req);
  const options: DeleteOptions = {};
  if (body.length > 0) {
    const value = decodeObject(body, contentType(ctx.req));
    if (value.gracePeriodSeconds !== undefined) {
      if (typeof value.gracePeriodSeconds !== 'number' || !Number.isInteger(value.gracePeriodSeconds)) {
        throw badRequest('gracePeriodSeconds must be an integer');
      }
      options.gracePeriodSeconds = value.gracePeriodSeconds;
    }
    if (value.propagationPolicy !== undefined) options.propagationPolicy = propagation(value.propagationPolicy);
    if (value.orphanDependents === true) options.propagationPolicy ??= 'Orphan';
    if (isJsonObject(value.preconditions)) {
      const { uid, resourceVersion } = value.preconditions;
      options.preconditions = {};
      if (typeof uid === 'string') options.preconditions.uid = uid;
      if (typeof resourceVersion === 'string') options.preconditions.resourceVersion = resourceVersion;
    }
  }
  const grace = integerParam(ctx.query, 'gracePeriodSeconds');
  if (grace !== undefined) options.gracePeriodSeconds = grace;
  const policy = ctx.query.get('propagationPolicy');
  if (policy) options.propagationPolicy = propagation(policy);
  if (ctx.query.get('orphanDependents') === 'true') options.propagationPolicy ??= 'Orphan';
  if (options.gracePeriodSeconds !== undefined && options.gracePeriodSeconds < 0) options.gracePeriodSeconds = 1;
  return options;
}

function propagation(value: unknown): NonNullable<DeleteOptions['propagationPolicy']> {
  if (value === 'Orphan' || value === 'Background' || value === 'Foreground') return value;
  throw badRequest(
    `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(value)}: supported values: "Foreground", "Background", "Orphan", "nil"`,
  );
}

export async function handleDelete(ctx: HandlerContext): Promise<void> {
  const options = await deleteOptions(ctx);
  const { namespace, name } = ctx.info;
  const result = await ctx.store.delete(namespace, name as string, options, requestContext(ctx));
  if (!result.deleted || ctx.resource.strategy?.gracePeriod) {
    // Still there (finalizers, a grace period), or a kind whose delete answers with the object.
    writeJson(ctx.res, 200, result.object);
    return;
  }
  const meta = result.object.metadata;
  writeJson(ctx.res, 200, statusSuccess({ name: meta.name, group: ctx.resource.group, kind: ctx.resource.resource, uid: meta.uid }));
}

export async function handleDeleteCollection(ctx: HandlerContext): Promise<void> {
  const options = await deleteOptions(ctx);
  const { filter, filtered } = selectorFilter(ctx);
  const wctx = requestContext(ctx);
  const { items, resourceVersion } = await ctx.store.list(ctx.info.namespace, { filter, filtered });
  const deleted: KubeObject[] = [];
  for (const obj of items) {
    try {
      deleted.push((await ctx.store.delete(obj.metadata.namespace, obj.metadata.name as string, options, wctx)).object);
    } catch (err) {
      // Gone meanwhile: deleting it was the goal.
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  writeJson(ctx.res, 200, { kind: `${ctx.resource.kind}List`, apiVersion: groupVersion(ctx.resource), metadata: { resourceVersion }, items: deleted });
}
