/**
 * The Pod subresources that are not plain storage: binding (the scheduler's assignment),
 * eviction (a delete that respects PodDisruptionBudgets), and the ones a kubelet answers (log,
 * exec, attach, portforward, proxy), which are forwarded to the pod's node — and, until a node
 * answers, fail as they do on Kubernetes when the kubelet cannot be reached.
 */
import https from 'node:https';
import type { ServerResponse } from 'node:http';
import {
  badRequest,
  conflict,
  internalError,
  isStatusError,
  statusFailure,
  statusSuccess,
  type StatusError,
} from '../../api/errors.js';
import { isJsonObject, type KubeObject } from '../../api/object.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { rfc3339 } from '../../api/time.js';
import { contentType, decodeObject, readBody, writeJson } from '../http_io.js';
import { requestContext, type HandlerContext } from './context.js';

interface PodShape extends KubeObject {
  spec?: { nodeName?: string; containers?: { name: string }[] };
  status?: { conditions?: { type: string; status: string; lastTransitionTime?: string; lastProbeTime?: null }[] };
}

/** POST pods/<name>/binding: assigns the pod to a node, once. */
export async function handleBinding(ctx: HandlerContext): Promise<void> {
  if (ctx.info.verb !== 'create') throw badRequest('binding supports only create');
  const body = decodeObject(await readBody(ctx.req), contentType(ctx.req));
  const target = isJsonObject(body.target) ? body.target : undefined;
  const nodeName = typeof target?.name === 'string' ? target.name : '';
  if (!nodeName) throw badRequest('Binding.target.name is required');
  const name = ctx.info.name as string;
  await ctx.store.guaranteedUpdate(
    ctx.info.namespace,
    name,
    (current) => {
      const pod = current as PodShape;
      if (pod.metadata.deletionTimestamp) throw conflict(ctx.store.ref(name), 'pod is being deleted, cannot be assigned to a host');
      if (pod.spec?.nodeName) throw conflict(ctx.store.ref(name), `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
      pod.spec = { ...pod.spec, nodeName };
      const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.now) });
      pod.status = { ...pod.status, conditions };
      return pod;
    },
    requestContext(ctx),
    'binding',
  );
  writeJson(ctx.res, 201, statusSuccess());
}

/** POST pods/<name>/eviction: deletes the pod unless a PodDisruptionBudget forbids it (429). */
export async function handleEviction(ctx: HandlerContext): Promise<void> {
  if (ctx.info.verb !== 'create') throw badRequest('eviction supports only create');
  const body = decodeObject(await readBody(ctx.req), contentType(ctx.req));
  const name = ctx.info.name as string;
  const namespace = ctx.info.namespace;
  const pod = (await ctx.store.get(namespace, name)) as PodShape;
  const pdbs = ctx.storeFor('policy', 'poddisruptionbudgets');
  if (pdbs && !pod.metadata.deletionTimestamp) {
    await pdbs.cache.ready;
    for (const pdb of pdbs.cache.list(pdbs.keyPrefix(namespace), () => true)) {
      const spec = pdb.spec as { selector?: unknown } | undefined;
      const selector = selectorFromLabelSelector(spec?.selector as Parameters<typeof selectorFromLabelSelector>[0]);
      if (!selector.matches(pod.metadata.labels)) continue;
      const allowed = (pdb.status as { disruptionsAllowed?: number } | undefined)?.disruptionsAllowed ?? 0;
      if (allowed <= 0) {
        throw statusFailure(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
          causes: [
            {
              reason: 'DisruptionBudget',
              message: `The disruption budget ${pdb.metadata.name ?? ''} needs ${String((pdb.status as { desiredHealthy?: number } | undefined)?.desiredHealthy ?? 0)} healthy pods and has ${String((pdb.status as { currentHealthy?: number } | undefined)?.currentHealthy ?? 0)} currently`,
            },
          ],
        });
      }
    }
  }
  const options = isJsonObject(body.deleteOptions) ? body.deleteOptions : {};
  const grace = typeof options.gracePeriodSeconds === 'number' ? options.gracePeriodSeconds : undefined;
  await ctx.store.delete(namespace, name, grace === undefined ? {} : { gracePeriodSeconds: grace }, requestContext(ctx));
  writeJson(ctx.res, 201, statusSuccess());
}

/** Where a node's kubelet listens: its InternalIP and daemonEndpoints port (10250 by default). */
async function kubeletAddress(ctx: HandlerContext, nodeName: string): Promise<{ host: string; port: number }> {
  const nodes = ctx.storeFor('', 'nodes');
  let node: KubeObject | undefined;
  try {
    node = await nodes?.get(undefined, nodeName);
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
  }
  const status = node?.status as
    | { addresses?: { type: string; address: string }[]; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } }
    | undefined;
  const address =
    status?.addresses?.find((a) => a.type === 'InternalIP')?.address ??
    status?.addresses?.find((a) => a.type === 'Hostname')?.address ??
    nodeName;
  return { host: address, port: status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 10250 };
}

function dialError(target: string, err: unknown): StatusError {
  const code = (err as { code?: string }).code;
  const why = code === 'ECONNREFUSED' ? 'connect: connection refused' : (err as Error).message;
  return internalError(`error dialing backend: dial tcp ${target}: ${why}`);
}

/** GET pods/<name>/log: the container's log from its kubelet. */
export async function handleLog(ctx: HandlerContext): Promise<void> {
  if (ctx.info.verb !== 'get') throw badRequest('log supports only get');
  const pod = (await ctx.store.get(ctx.info.namespace, ctx.info.name as string)) as PodShape;
  const nodeName = pod.spec?.nodeName;
  const containers = pod.spec?.containers ?? [];
  const container = ctx.query.get('container') ?? (containers.length === 1 ? containers[0]?.name : undefined);
  if (!container) {
    throw badRequest(
      `a container name must be specified for pod ${pod.metadata.name ?? ''}, choose one of: [${containers.map((c) => c.name).join(' ')}]`,
    );
  }
  if (!containers.some((c) => c.name === container)) {
    throw badRequest(`container ${container} is not valid for pod ${pod.metadata.name ?? ''}`);
  }
  if (!nodeName) {
    // Not scheduled: there is no log yet (kube-apiserver answers 204 here).
    ctx.res.writeHead(204);
    ctx.res.end();
    return;
  }
  const { host, port } = await kubeletAddress(ctx, nodeName);
  const query = new URLSearchParams();
  for (const key of ['follow', 'previous', 'sinceSeconds', 'sinceTime', 'timestamps', 'tailLines', 'limitBytes']) {
    const value = ctx.query.get(key);
    if (value !== null) query.set(key, value);
  }
  const path = `/containerLogs/${ctx.info.namespace ?? ''}/${pod.metadata.name ?? ''}/${container}?${query.toString()}`;
  await proxyToKubelet(ctx.res, host, port, path);
}

function proxyToKubelet(res: ServerResponse, host: string, port: number, path: string): Promise<void> {
  return new Promise((resolve) => {
    const upstream = https.request({ host, port, path, method: 'GET', rejectUnauthorized: false, timeout: 10_000 }, (answer) => {
      res.writeHead(answer.statusCode ?? 500, { 'Content-Type': answer.headers['content-type'] ?? 'text/plain' });
      answer.pipe(res);
      answer.on('end', resolve);
      res.on('close', () => {
        answer.destroy();
        resolve();
      });
    });
    upstream.on('error', (err) => {
      const status = dialError(`${host}:${port}`, err).status;
      if (!res.headersSent) writeJson(res, status.code, status);
      else res.destroy();
      resolve();
    });
    upstream.end();
  });
}

/**
 * exec, attach, portforward and proxy: a stream to the kubelet. kts's kubelet does not serve
 * them yet, so the answer is what Kubernetes gives when the kubelet cannot be reached (or the
 * pod has no node).
 */
export async function connectError(ctx: HandlerContext): Promise<StatusError> {
  const pod = (await ctx.store.get(ctx.info.namespace, ctx.info.name as string)) as PodShape;
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) return badRequest(`pod ${pod.metadata.name ?? ''} does not have a host assigned`);
  const { host, port } = await kubeletAddress(ctx, nodeName);
  return internalError(`error dialing backend: dial tcp ${host}:${port}: connect: connection refused`);
}

export async function handleConnect(ctx: HandlerContext): Promise<void> {
  throw await connectError(ctx);
}

export const POD_SUBRESOURCE_HANDLERS = {
  binding: handleBinding,
  eviction: handleEviction,
  log: handleLog,
  exec: handleConnect,
  attach: handleConnect,
  portforward: handleConnect,
  proxy: handleConnect,
};
