/**
 * The scale subresource (`kubectl scale`, the HPA): an autoscaling/v1 Scale view of a
 * workload's replica counts and selector, read and written through the owning object.
 */
import { badRequest, conflict, OBJECT_MODIFIED, type FieldError, invalid } from '../../api/errors.js';
import { isJsonObject, type KubeObject } from '../../api/object.js';
import type { ScaleSubresource } from '../../api/registry.js';
import { contentType, decodeObject, readBody, writeJson } from '../http_io.js';
import { requestContext, type HandlerContext } from './context.js';
import { patchBody } from './patch.js';

/** Reads a `.a.b` path of a JSON object. */
function getPath(obj: unknown, path: string): unknown {
  let value = obj;
  for (const part of path.split('.').filter(Boolean)) {
    if (!isJsonObject(value)) return undefined;
    value = value[part];
  }
  return value;
}

/** Writes a `.a.b` path of a JSON object, creating objects on the way. */
function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.').filter(Boolean);
  let target = obj;
  for (const part of parts.slice(0, -1)) {
    if (!isJsonObject(target[part])) target[part] = {};
    target = target[part] as Record<string, unknown>;
  }
  target[parts[parts.length - 1] as string] = value;
}

function toScale(obj: KubeObject, spec: ScaleSubresource): Record<string, unknown> {
  const m = obj.metadata;
  const status: Record<string, unknown> = { replicas: (getPath(obj, spec.statusReplicasPath)) ?? 0 };
  const selector = spec.selectorOf ? spec.selectorOf(obj) : spec.labelSelectorPath ? getPath(obj, spec.labelSelectorPath) : undefined;
  if (typeof selector === 'string' && selector) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: (getPath(obj, spec.specReplicasPath) as number | undefined) ?? 0 },
    status,
  };
}

function scaleSpec(ctx: HandlerContext): ScaleSubresource {
  const spec = ctx.resource.subresources?.scale;
  if (!spec) throw badRequest(`${ctx.resource.resource} has no scale subresource`);
  return spec;
}

/** The replicas a Scale object asks for; 422 when missing or negative. */
function desiredReplicas(scale: Record<string, unknown>, name: string): number {
  const replicas = isJsonObject(scale.spec) ? scale.spec.replicas : undefined;
  const errors: FieldError[] = [];
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) {
    errors.push({ type: 'Invalid', field: 'spec.replicas', value: replicas ?? null, detail: 'must be an integer' });
  } else if (replicas < 0) {
    errors.push({ type: 'Invalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' });
  }
  if (errors.length > 0) throw invalid({ group: 'autoscaling', kind: 'Scale' }, name, errors);
  return replicas as number;
}

export async function handleScale(ctx: HandlerContext): Promise<void> {
  const spec = scaleSpec(ctx);
  const { namespace } = ctx.info;
  const name = ctx.info.name as string;
  if (ctx.info.verb === 'get') {
    writeJson(ctx.res, 200, toScale(await ctx.store.get(namespace, name), spec));
    return;
  }
  let update: (scale: Record<string, unknown>) => Record<string, unknown>;
  if (ctx.info.verb === 'update') {
    const body = decodeObject(await readBody(ctx.req), contentType(ctx.req));
    update = () => body;
  } else if (ctx.info.verb === 'patch') {
    const patch = await patchBody(ctx);
    update = (scale) => patch.apply(scale as KubeObject, { apiVersion: 'autoscaling/v1', kind: 'Scale' });
  } else {
    throw badRequest(`scale does not support ${ctx.info.verb}`);
  }
  const updated = await ctx.store.guaranteedUpdate(
    namespace,
    name,
    (current) => {
      const scale = update(toScale(current, spec));
      const rv = isJsonObject(scale.metadata) ? scale.metadata.resourceVersion : undefined;
      if (typeof rv === 'string' && rv && rv !== current.metadata.resourceVersion) throw conflict(ctx.store.ref(name), OBJECT_MODIFIED);
      setPath(current, spec.specReplicasPath, desiredReplicas(scale, name));
      return current;
    },
    requestContext(ctx),
  );
  writeJson(ctx.res, 200, toScale(updated, spec));
}
