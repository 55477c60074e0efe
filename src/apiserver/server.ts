/**
 * The API server: HTTPS (plain HTTP only for unit tests), authentication, routing of every
 * request to a resource handler or a non-resource endpoint (health, version, discovery,
 * OpenAPI), and errors as Kubernetes Status objects. One RegistryStore (with its watch cache)
 * per served resource. The only component that touches storage.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { methodNotAllowed, statusFailure, unauthorized, isStatusError } from '../api/errors.js';
import { verbsOf, type Registry, type ResourceType, type Verb } from '../api/registry.js';
import type { Store } from '../storage/store.js';
import type { KubeObject } from '../api/object.js';
import { AdmissionChain, type AdmissionPlugin } from './admission/admission.js';
import { namespaceLifecycle } from './admission/namespace_lifecycle.js';
import { anonymousUser, type Authenticator, type UserInfo } from './authn/interfaces.js';
import { Discovery } from './discovery.js';
import type { HandlerContext } from './handlers/context.js';
import { handleGet, handleList, handleWatch } from './handlers/read.js';
import { handleCreate, handleDelete, handleDeleteCollection, handleUpdate } from './handlers/write.js';
import { handlePatch } from './handlers/patch.js';
import { handleScale } from './handlers/scale.js';
import { writeError, writeJson } from './http_io.js';
import { negotiate } from './negotiation.js';
import { RegistryStore, type StoreHooks } from './registry_store.js';
import { parseRequestInfo, type NonResourceRequestInfo, type ResourceRequestInfo } from './request_info.js';
import { VERSION_INFO } from './version.js';

export interface ApiServerOptions {
  store: Store;
  registry: Registry;
  admission?: readonly AdmissionPlugin[];
  /** Finds the user of a request; absent: every request is anonymous (tests only). */
  authenticator?: Authenticator;
  /** PEM serving certificate and key, and the CA for client certificates; absent: plain HTTP. */
  tls?: { cert: string; key: string; ca: string };
  bindAddress: string;
  port: number;
  /** Handlers for subresources beyond status (log, exec, scale, binding, ...), by name. */
  subresourceHandlers?: Readonly<Record<string, (ctx: HandlerContext) => Promise<void>>>;
  /** Resource-specific storage hooks (Service IP and port allocation). */
  storeHooks?: (rt: ResourceType) => StoreHooks | undefined;
  /** Runs once every watch cache has loaded, before the server listens. */
  onCachesReady?: (server: ApiServer) => void | Promise<void>;
  /** Handlers of non-resource paths beyond health, version and discovery (OpenAPI). */
  pathHandlers?: readonly { prefix: string; handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void }[];
  logger?: Logger;
}

/** Paths anyone may read, as kube-apiserver's system:public-info-viewer role allows. */
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

type ResourceHandler = (ctx: HandlerContext) => Promise<void>;

const VERB_HANDLERS: Record<string, ResourceHandler> = {
  get: handleGet,
  list: handleList,
  watch: handleWatch,
  create: handleCreate,
  update: handleUpdate,
  patch: handlePatch,
  delete: handleDelete,
  deletecollection: handleDeleteCollection,
};

export class ApiServer {
  readonly registry: Registry;
  private readonly options: ApiServerOptions;
  private readonly stores = new Map<ResourceType, RegistryStore>();
  private readonly admission: AdmissionChain;
  private readonly discovery: Discovery;
  private server: http.Server | undefined;
  private readonly logger: Logger | undefined;
  private ready = false;

  constructor(options: ApiServerOptions) {
    this.options = options;
    this.registry = options.registry;
    this.logger = options.logger;
    this.admission = new AdmissionChain([
      namespaceLifecycle((name) => this.lookupNamespace(name)),
      ...(options.admission ?? []),
    ]);
    this.discovery = new Discovery(options.registry, () => `${options.bindAddress}:${this.port}`);
    for (const rt of options.registry.all()) this.addStore(rt);
    options.registry.onChange(() => this.syncStores());
  }

  /** The RegistryStore of a resource (for bootstrap and in-process callers). */
  storeFor(group: string, resource: string): RegistryStore | undefined {
    for (const [rt, store] of this.stores) if (rt.group === group && rt.resource === resource) return store;
    return undefined;
  }

  /** A namespace from the cache, or from storage when the cache has not seen it yet. */
  private async lookupNamespace(name: string): Promise<KubeObject | undefined> {
    const namespaces = this.storeFor('', 'namespaces');
    if (!namespaces) return undefined;
    const cached = namespaces.cache.get(namespaces.key(undefined, name));
    if (cached) return cached;
    try {
      return await namespaces.get(undefined, name);
    } catch (err) {
      if (isStatusError(err, 'NotFound')) return undefined;
      throw err;
    }
  }

  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address?.port ?? this.options.port;
  }

  /** Waits for every watch cache to load, then listens. */
  async start(): Promise<void> {
    await Promise.all([...this.stores.values()].map((s) => s.cache.ready));
    await this.options.onCachesReady?.(this);
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    const tls = this.options.tls;
    this.server = tls
      ? https.createServer({ cert: tls.cert, key: tls.key, ca: tls.ca, requestCert: true, rejectUnauthorized: false }, handler)
      : http.createServer(handler);
    // Upgrade requests (exec, attach, port-forward over WebSocket or SPDY) get an ordinary
    // HTTP answer on their socket until a handler takes the stream over.
    this.server.on('upgrade', (req: IncomingMessage, socket: import('node:net').Socket) => {
      const res = new http.ServerResponse(req);
      res.assignSocket(socket);
      res.shouldKeepAlive = false;
      res.on('finish', () => socket.end());
      handler(req, res);
    });
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port, this.options.bindAddress, () => resolve());
    });
    this.ready = true;
  }

  async stop(): Promise<void> {
    this.ready = false;
    for (const store of this.stores.values()) store.cache.stop();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private addStore(rt: ResourceType): void {
    const store = new RegistryStore({
      store: this.options.store,
      resource: rt,
      admission: this.admission,
      hooks: this.options.storeHooks?.(rt),
      logger: this.logger,
    });
    this.stores.set(rt, store);
    store.cache.start();
  }

  private syncStores(): void {
    const current = new Set(this.registry.all());
    for (const [rt, store] of this.stores) {
      if (!current.has(rt)) {
        store.cache.stop();
        this.stores.delete(rt);
      }
    }
    for (const rt of current) if (!this.stores.has(rt)) this.addStore(rt);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'https://kts');
      const user = await this.authenticate(req, url.pathname);
      let info;
      try {
        info = parseRequestInfo(req.method ?? 'GET', url.pathname, url.searchParams);
      } catch {
        throw statusFailure(400, 'BadRequest', `malformed path: ${url.pathname}`);
      }
      if (info.isResourceRequest) await this.handleResource(req, res, info, url, user);
      else await this.handleNonResource(req, res, info, url);
    } catch (err) {
      if (!isStatusError(err)) this.logger?.error({ err, url: req.url, method: req.method }, 'request failed');
      writeError(res, err);
    }
  }

  private async authenticate(req: IncomingMessage, path: string): Promise<UserInfo> {
    const authenticator = this.options.authenticator;
    if (!authenticator) return anonymousUser();
    let user: UserInfo | undefined;
    try {
      user = await authenticator.authenticate(req);
    } catch (err) {
      this.logger?.debug({ err }, 'authentication failed');
      throw unauthorized();
    }
    if (user) return user;
    if (PUBLIC_PATHS.has(path) || path.startsWith('/livez/') || path.startsWith('/readyz/') || path.startsWith('/healthz/')) {
      return anonymousUser();
    }
    throw unauthorized();
  }

  private async handleResource(
    req: IncomingMessage,
    res: ServerResponse,
    info: ResourceRequestInfo,
    url: URL,
    user: UserInfo,
  ): Promise<void> {
    const rt = this.registry.get(info.group, info.version, info.resource);
    const store = rt && this.stores.get(rt);
    if (!rt || !store || (info.namespace !== undefined && !rt.namespaced)) {
      throw notFound404();
    }
    const ctx: HandlerContext = {
      req,
      res,
      info,
      query: url.searchParams,
      resource: rt,
      store,
      storeFor: (group, resource) => this.storeFor(group, resource),
      user,
      now: Date.now(),
    };
    const sub = info.subresource;
    if (sub === 'finalize' && rt.subresources?.others?.includes('finalize')) {
      if (info.verb !== 'update') throw methodNotAllowedFor(info);
      await handleUpdate(ctx);
      return;
    }
    if (sub === 'scale' && rt.subresources?.scale) {
      if (!['get', 'update', 'patch'].includes(info.verb)) throw methodNotAllowedFor(info);
      await handleScale(ctx);
      return;
    }
    if (sub !== undefined && sub !== 'status') {
      const handler = rt.subresources?.others?.includes(sub) ? this.options.subresourceHandlers?.[sub] : undefined;
      if (!handler) throw notFound404();
      await handler(ctx);
      return;
    }
    if (sub === 'status' && !rt.subresources?.status) throw notFound404();
    if (sub === 'status' && !['get', 'update', 'patch'].includes(info.verb)) throw methodNotAllowedFor(info);
    if (rt.namespaced && info.namespace === undefined && info.name !== undefined) throw notFound404();
    if (rt.namespaced && info.namespace === undefined && info.verb === 'create') throw notFound404();
    const verb = info.verb as Verb;
    if (!verbsOf(rt).includes(verb)) throw methodNotAllowedFor(info);
    const handler = VERB_HANDLERS[verb] ?? this.options.subresourceHandlers?.[`verb:${verb}`];
    if (!handler) throw methodNotAllowedFor(info);
    await handler(ctx);
  }

  private async handleNonResource(req: IncomingMessage, res: ServerResponse, info: NonResourceRequestInfo, url: URL): Promise<void> {
    const path = url.pathname;
    if (info.discovery) {
      this.serveDiscovery(req, res, info.discovery);
      return;
    }
    if (path === '/version') {
      writeJson(res, 200, VERSION_INFO);
      return;
    }
    const health = /^\/(healthz|livez|readyz)(\/.*)?$/.exec(path);
    if (health) {
      this.serveHealth(res, health[1] as string, url);
      return;
    }
    for (const handler of this.options.pathHandlers ?? []) {
      if (path === handler.prefix || path.startsWith(`${handler.prefix}/`)) {
        await handler.handle(req, res, url);
        return;
      }
    }
    if (path === '/') {
      writeJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/version', '/openapi/v2', '/openapi/v3'] });
      return;
    }
    throw notFound404();
  }

  private serveDiscovery(req: IncomingMessage, res: ServerResponse, d: NonNullable<NonResourceRequestInfo['discovery']>): void {
    const aggregatedAllowed = d.group === undefined && d.version === undefined;
    const rep = negotiate(req.headers.accept, new Set(aggregatedAllowed ? ['object', 'APIGroupDiscoveryList'] : ['object']));
    const kind = rep.as === 'APIGroupDiscoveryList' ? rep.version : 'legacy';
    const doc = this.discovery.get(kind, d.prefix, d.group, d.version);
    if (!doc) throw notFound404();
    const contentType =
      kind === 'legacy' ? 'application/json' : `application/json;g=apidiscovery.k8s.io;v=${kind};as=APIGroupDiscoveryList`;
    const headers = { 'Content-Type': contentType, ETag: doc.etag, 'Cache-Control': 'public', Vary: 'Accept' };
    if (req.headers['if-none-match'] === doc.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    writeJson(res, 200, doc.body, headers);
  }

  private serveHealth(res: ServerResponse, endpoint: string, url: URL): void {
    const checks = ['ping', 'log', 'etcd', 'informer-sync', 'poststarthook/start-kts-controllers'];
    const ok = endpoint === 'livez' || this.ready;
    if (url.searchParams.has('verbose')) {
      const lines = checks.map((c) => (c === 'informer-sync' && !ok ? `[-]${c} failed: reason withheld` : `[+]${c} ok`));
      lines.push(ok ? `${endpoint} check passed` : `${endpoint} check failed`);
      res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end(`${lines.join('\n')}\n`);
      return;
    }
    res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
    res.end(ok ? 'ok' : `[-]informer-sync failed: reason withheld\n${endpoint} check failed\n`);
  }
}

function notFound404() {
  return statusFailure(404, 'NotFound', 'the server could not find the requested resource', {});
}

function methodNotAllowedFor(info: ResourceRequestInfo) {
  return methodNotAllowed(`the server does not allow this method on the requested resource (${info.verb} ${info.resource})`);
}
