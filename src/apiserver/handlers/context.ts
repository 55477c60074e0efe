/**
 * What a resource handler gets: the parsed request, the resource's declaration and registry
 * store, the caller, and helpers for the query parameters every verb shares.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '../../api/errors.js';
import { checkFieldSelector, fieldSelectorMatches, parseFieldSelector } from '../../api/fields.js';
import { parseLabelSelector } from '../../api/labels.js';
import type { ResourceType } from '../../api/registry.js';
import type { UserInfo } from '../authn/interfaces.js';
import type { RegistryStore, RequestContext } from '../registry_store.js';
import type { ResourceRequestInfo } from '../request_info.js';
import type { ObjectFilter } from '../watch_cache.js';

export interface HandlerContext {
  req: IncomingMessage;
  res: ServerResponse;
  info: ResourceRequestInfo;
  query: URLSearchParams;
  resource: ResourceType;
  store: RegistryStore;
  /** Stores of other resources (a namespace's lifecycle, a pod's binding). */
  storeFor(group: string, resource: string): RegistryStore | undefined;
  user: UserInfo;
  now: number;
}

/** The write context: dry run, field manager (default: the client's program name). */
export function requestContext(ctx: HandlerContext): RequestContext {
  const dryRun = ctx.query.getAll('dryRun');
  for (const value of dryRun) {
    if (value !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(value)}; only "All" is allowed`);
  }
  const manager = ctx.query.get('fieldManager') ?? defaultFieldManager(ctx.req.headers['user-agent']);
  if (manager.length > 128) throw badRequest(`fieldManager: Too long: may not be longer than 128 characters`);
  return { user: ctx.user, dryRun: dryRun.length > 0, fieldManager: manager, now: ctx.now };
}

/** kube-apiserver's default manager: the User-Agent's program name (`kubectl` of `kubectl/v1.32...`). */
function defaultFieldManager(userAgent: string | undefined): string {
  const name = (userAgent ?? '').split('/')[0]?.trim() ?? '';
  return name === '' ? 'unknown' : name.slice(0, 128);
}

/** The filter of labelSelector and fieldSelector; `filtered` tells whether either narrows anything. */
export function selectorFilter(ctx: HandlerContext): { filter: ObjectFilter; filtered: boolean } {
  const labels = parseLabelSelector(ctx.query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(ctx.query.get('fieldSelector') ?? '');
  checkFieldSelector(fields, ctx.resource);
  const matchLabels = !labels.empty();
  const matchFields = fields.requirements.length > 0;
  const rt = ctx.resource;
  if (!matchLabels && !matchFields) return { filter: () => true, filtered: false };
  return {
    filter: (obj) =>
      (!matchLabels || labels.matches(obj.metadata.labels)) && (!matchFields || fieldSelectorMatches(fields, obj, rt)),
    filtered: true,
  };
}

/** A non-negative integer query parameter; 400 when malformed. */
export function integerParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(raw)}: must be an integer`);
  return Number(raw);
}
