/**
 * GET of one object, LIST and WATCH of a collection, with kubectl's representations (plain
 * JSON or a meta.k8s.io Table).
 */
import { badRequest } from '../../api/errors.js';
import type { KubeObject } from '../../api/object.js';
import { groupVersion } from '../../api/registry.js';
import { writeJson } from '../http_io.js';
import { sharedJson } from '../shared_json.js';
import { negotiate, type Representation } from '../negotiation.js';
import { toTable, type IncludeObject } from '../table.js';
import type { WatcherEvent } from '../watch_cache.js';
import { integerParam, selectorFilter, type HandlerContext } from './context.js';

const READ_REPRESENTATIONS = new Set<Representation['as']>(['object', 'Table']);

function includeObject(ctx: HandlerContext): IncludeObject {
  const value = ctx.query.get('includeObject') ?? 'Metadata';
  if (value !== 'None' && value !== 'Metadata' && value !== 'Object') {
    throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(value)}: supported values: "Metadata", "None", "Object"`);
  }
  return value;
}

export async function handleGet(ctx: HandlerContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, READ_REPRESENTATIONS);
  const { namespace, name } = ctx.info;
  const obj = await ctx.store.read(namespace, name as string);
  if (rep.as === 'Table') {
    writeJson(ctx.res, 200, toTable(ctx.resource, [obj], { version: rep.version, includeObject: includeObject(ctx), now: ctx.now }));
    return;
  }
  writeJson(ctx.res, 200, sharedJson(obj));
}

export async function handleList(ctx: HandlerContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, READ_REPRESENTATIONS);
  const { filter, filtered } = selectorFilter(ctx);
  const limit = integerParam(ctx.query, 'limit');
  const match = ctx.query.get('resourceVersionMatch') ?? undefined;
  if (match !== undefined && match !== 'NotOlderThan' && match !== 'Exact') {
    throw badRequest(`resourceVersionMatch: Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan"`);
  }
  const resourceVersion = ctx.query.get('resourceVersion') ?? undefined;
  if (match !== undefined && !resourceVersion) {
    throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  }
  const continueToken = ctx.query.get('continue') || undefined;
  if (continueToken && resourceVersion) {
    throw badRequest('specifying resource version is not allowed when using continue');
  }
  const result = await ctx.store.list(ctx.info.namespace, {
    filter,
    filtered,
    limit: limit && limit > 0 ? limit : undefined,
    continueToken,
    resourceVersion,
    resourceVersionMatch: match,
  });
  if (rep.as === 'Table') {
    writeJson(
      ctx.res,
      200,
      toTable(ctx.resource, result.items, {
        version: rep.version,
        includeObject: includeObject(ctx),
        resourceVersion: result.resourceVersion,
        continueToken: result.continueToken,
        now: ctx.now,
      }),
    );
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continueToken) metadata.continue = result.continueToken;
  if (result.remainingItemCount !== undefined) metadata.remainingItemCount = result.remainingItemCount;
  // The list's JSON, put together from each item's: cached items' JSON is made once (sharedJson).
  const head = JSON.stringify({ kind: `${ctx.resource.kind}List`, apiVersion: groupVersion(ctx.resource), metadata });
  writeJson(ctx.res, 200, `${head.slice(0, -1)},"items":[${result.items.map(sharedJson).join(',')}]}`);
}

/** Bookmarks go out this often on watches that allow them. */
const BOOKMARK_INTERVAL_MS = 60_000;

export async function handleWatch(ctx: HandlerContext): Promise<void> {
  const rep = negotiate(ctx.req.headers.accept, READ_REPRESENTATIONS);
  const { filter: selected } = selectorFilter(ctx);
  const name = ctx.info.name;
  const filter = name === undefined ? selected : (obj: KubeObject) => obj.metadata.name === name && selected(obj);
  const timeoutSeconds = integerParam(ctx.query, 'timeoutSeconds');
  const bookmarks = ctx.query.get('allowWatchBookmarks') === 'true';
  const queue = await ctx.store.watch(ctx.info.namespace, ctx.query.get('resourceVersion') ?? undefined, filter);
  const res = ctx.res;
  const include = rep.as === 'Table' ? includeObject(ctx) : 'Object';
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  let headersSent = false;
  const encode = (event: WatcherEvent): string => {
    let object: unknown = event.object;
    if (rep.as === 'Table') {
      object = toTable(ctx.resource, [event.object], {
        version: rep.version,
        includeObject: include,
        noHeaders: headersSent,
        now: Date.now(),
      });
      headersSent = true;
    }
    return `{"type":"${event.type}","object":${rep.as === 'Table' ? JSON.stringify(object) : sharedJson(event.object)}}\n`;
  };
  const timeoutMs = timeoutSeconds && timeoutSeconds > 0 ? timeoutSeconds * 1000 : (1800 + Math.random() * 1800) * 1000;
  const timer = setTimeout(() => queue.stop(), timeoutMs);
  let bookmarkTimer: NodeJS.Timeout | undefined;
  if (bookmarks) {
    bookmarkTimer = setInterval(() => {
      const bookmark = {
        type: 'BOOKMARK',
        object: {
          kind: ctx.resource.kind,
          apiVersion: groupVersion(ctx.resource),
          metadata: { resourceVersion: String(Math.max(queue.receivedRevision, ctx.store.cache.revision)) },
        },
      };
      res.write(`${JSON.stringify(bookmark)}\n`);
    }, BOOKMARK_INTERVAL_MS);
  }
  const onClose = (): void => queue.stop();
  res.on('close', onClose);
  try {
    for await (const event of queue) {
      const ok = res.write(encode(event));
      if (!ok) {
        await new Promise((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
      }
    }
  } catch {
    // The cache dropped this watcher (too slow, or the cache restarted): end the stream; the
    // client watches again from its last resourceVersion.
  } finally {
    clearTimeout(timer);
    if (bookmarkTimer) clearInterval(bookmarkTimer);
    res.off('close', onClose);
    if (!res.writableEnded) res.end();
  }
}
