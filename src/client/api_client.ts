/**
 * The REST client every component uses to talk to the API server (controllers, and later the
 * scheduler and kubelet): HTTPS keep-alive with a client certificate or bearer token, JSON
 * bodies, watch streams as async iterables, and failures as the server's Status (StatusError),
 * so that NotFound and Conflict are ordinary outcomes for callers.
 */
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { StatusError, statusFailure, type Status } from '../api/errors.js';
import type { KubeObject } from '../api/object.js';

export interface ClientConfig {
  /** `https://127.0.0.1:6443` */
  server: string;
  /** PEM CA the server's certificate must chain to. */
  ca: string;
  /** PEM client certificate and key (or a token). */
  cert?: string;
  key?: string;
  token?: string;
  userAgent?: string;
}

/** A resource as the client addresses it. */
export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
}

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: T;
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** `/api/v1/namespaces/default/pods/web/status` and the like. */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let path = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (ref.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${ref.resource}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource !== undefined) path += `/${subresource}`;
  return path;
}

export class ApiClient {
  private readonly url: URL;
  private readonly agent: https.Agent;
  /**
   * Watches hold their connection for minutes: they get their own, unbounded pool, so that a
   * component with many informers can never starve its ordinary requests of sockets.
   */
  private readonly watchAgent: https.Agent;
  private readonly headers: Record<string, string>;

  constructor(config: ClientConfig) {
    this.url = new URL(config.server);
    if (this.url.protocol !== 'https:') throw new Error(`API server URL ${config.server} must be https`);
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 32, ca: config.ca, cert: config.cert, key: config.key });
    this.watchAgent = new https.Agent({ keepAlive: false, ca: config.ca, cert: config.cert, key: config.key });
    this.headers = { Accept: 'application/json', 'User-Agent': config.userAgent ?? 'kts' };
    if (config.token) this.headers.Authorization = `Bearer ${config.token}`;
  }

  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  /** Sends one request; resolves to the parsed JSON answer, rejects with the server's Status. */
  async request<T>(
    method: string,
    path: string,
    options: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string } = {},
  ): Promise<T> {
    const res = await this.send(method, path, options);
    const text = await readAll(res);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return (text ? JSON.parse(text) : undefined) as T;
    throw asStatusError(status, text);
  }

  get<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T> {
    return this.request('GET', resourcePath(ref, namespace, name));
  }

  list<T extends KubeObject>(ref: ResourceRef, namespace?: string, query: Record<string, string | undefined> = {}): Promise<ObjectList<T>> {
    return this.request('GET', resourcePath(ref, namespace), { query });
  }

  create<T extends KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: KubeObject, fieldManager?: string): Promise<T> {
    return this.request('POST', resourcePath(ref, namespace), { body: obj, query: { fieldManager } });
  }

  update<T extends KubeObject>(ref: ResourceRef, obj: KubeObject, subresource?: string, fieldManager?: string): Promise<T> {
    const { namespace, name } = obj.metadata;
    return this.request('PUT', resourcePath(ref, namespace, name, subresource), { body: obj, query: { fieldManager } });
  }

  patch<T extends KubeObject>(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    options: { type?: 'merge' | 'json' | 'strategic'; subresource?: string; fieldManager?: string } = {},
  ): Promise<T> {
    const types = { merge: 'application/merge-patch+json', json: 'application/json-patch+json', strategic: 'application/strategic-merge-patch+json' };
    return this.request('PATCH', resourcePath(ref, namespace, name, options.subresource), {
      body: patch,
      contentType: types[options.type ?? 'merge'],
      query: { fieldManager: options.fieldManager },
    });
  }

  delete(ref: ResourceRef, namespace: string | undefined, name: string, options: { propagationPolicy?: string; gracePeriodSeconds?: number } = {}): Promise<unknown> {
    return this.request('DELETE', resourcePath(ref, namespace, name), { body: { kind: 'DeleteOptions', apiVersion: 'v1', ...options } });
  }

  deleteCollection(ref: ResourceRef, namespace: string | undefined, options: { propagationPolicy?: string } = {}): Promise<unknown> {
    return this.request('DELETE', resourcePath(ref, namespace), { body: { kind: 'DeleteOptions', apiVersion: 'v1', ...options } });
  }

  /**
   * Watches a collection: events until the server ends the stream or `signal` aborts. A watch
   * the server refuses (410 Expired, ...) rejects with its Status; an ERROR event ends the
   * iteration with a StatusError.
   */
  async *watch<T extends KubeObject>(
    ref: ResourceRef,
    namespace: string | undefined,
    query: Record<string, string | undefined>,
    signal: AbortSignal,
  ): AsyncGenerator<WatchEvent<T>> {
    const res = await this.send('GET', resourcePath(ref, namespace), { query: { ...query, watch: 'true' }, signal, watch: true });
    if ((res.statusCode ?? 0) !== 200) throw asStatusError(res.statusCode ?? 0, await readAll(res));
    let buffer = '';
    // Strings, decoded across chunk boundaries (a character may be split between chunks).
    res.setEncoding('utf8');
    try {
      for await (const chunk of res) {
        buffer += chunk as string;
        // Lines are cut from a moving start and the rest kept once per chunk: cutting the
        // buffer after every line would copy a large chunk once per event in it.
        let start = 0;
        let newline: number;
        while ((newline = buffer.indexOf('\n', start)) >= 0) {
          const line = buffer.slice(start, newline);
          start = newline + 1;
          if (!line.trim()) continue;
          const event = JSON.parse(line) as WatchEvent<T>;
          if (event.type === 'ERROR') throw new StatusError(event.object as unknown as Status);
          yield event;
        }
        buffer = buffer.slice(start);
      }
    } catch (err) {
      if (signal.aborted) return;
      throw err;
    } finally {
      res.destroy();
    }
  }

  private send(
    method: string,
    path: string,
    options: { query?: Record<string, string | undefined>; body?: unknown; contentType?: string; signal?: AbortSignal; watch?: boolean },
  ): Promise<IncomingMessage> {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) search.set(k, v);
    const qs = search.toString();
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...this.headers };
    if (body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: this.url.hostname,
          port: this.url.port || 443,
          method,
          path: qs ? `${path}?${qs}` : path,
          headers,
          agent: options.watch ? this.watchAgent : this.agent,
          signal: options.signal,
        },
        resolve,
      );
      req.on('error', (err) => reject(statusFailure(503, 'ServiceUnavailable', `the API server at ${this.url.origin} is unreachable: ${err.message}`)));
      req.end(body);
    });
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** The server's Status from an error answer, or one made up from the code. */
function asStatusError(code: number, text: string): StatusError {
  try {
    const parsed = JSON.parse(text) as Partial<Status>;
    if (parsed.kind === 'Status') return new StatusError(parsed as Status);
  } catch {
    // Not JSON: fall through.
  }
  return statusFailure(code, '', text || `the server answered ${code}`);
}
