/**
 * Test support only: a tiny plain-HTTP server with just enough of the API for kubectl to reach
 * the OpenAPI documents (version, legacy discovery from the registry, /openapi/*), and a
 * kubeconfig pointing at it. The real discovery and routing live in the API server; this
 * stands in for them in this folder's end-to-end tests.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStatusError } from '../../api/errors.js';
import { groupVersion, type Registry, verbsOf } from '../../api/registry.js';
import { handleOpenAPIRequest, isOpenAPIPath } from './openapi_handler.js';
import type { OpenAPIService } from './openapi_service.js';

export interface TestingServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** A kubeconfig file for the server, and a fresh cache dir, in a temp dir. */
  kubeconfig: string;
  cacheDir: string;
  /** Request lines seen, `GET /openapi/v3 -> 200`. */
  requests: string[];
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 (a free port). */
export async function startTestingServer(registry: Registry, service: OpenAPIService): Promise<TestingServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
      requests.push(`${req.method} ${url.pathname}${url.search} -> ${status}`);
    };
    try {
      if (isOpenAPIPath(url.pathname)) {
        const out = handleOpenAPIRequest(service, {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          headers: {
            accept: req.headers.accept,
            'if-none-match': req.headers['if-none-match'],
            'if-modified-since': req.headers['if-modified-since'],
          },
        });
        res.writeHead(out.status, out.headers);
        res.end(out.body);
        requests.push(`${req.method} ${url.pathname}${url.search} -> ${out.status}`);
        return;
      }
      const body = discovery(registry, url.pathname);
      if (body) send(200, body);
      else send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, metadata: {} });
    } catch (err) {
      if (isStatusError(err)) send(err.code, err.status);
      else send(500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: String(err), code: 500, metadata: {} });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await mkdtemp(join(tmpdir(), 'kts-openapi-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: kts, cluster: {server: "' + url + '"}}]',
      'users: [{name: kts, user: {}}]',
      'contexts: [{name: kts, context: {cluster: kts, user: kts, namespace: default}}]',
      'current-context: kts',
      '',
    ].join('\n'),
  );
  return {
    url,
    kubeconfig,
    cacheDir: join(dir, 'cache'),
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Legacy (non-aggregated) discovery documents, or undefined for other paths. */
function discovery(registry: Registry, path: string): unknown {
  const types = registry.all();
  if (path === '/version') {
    return { major: '1', minor: '32', gitVersion: 'v1.32.0-kts', platform: 'linux/amd64' };
  }
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') {
    const groups = new Map<string, string[]>();
    for (const rt of types) {
      if (!rt.group) continue;
      const versions = groups.get(rt.group) ?? [];
      if (!versions.includes(rt.version)) versions.push(rt.version);
      groups.set(rt.group, versions);
    }
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }
  const match = /^\/(?:api\/(v[^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!match) return undefined;
  const group = match[2] ?? '';
  const version = match[1] ?? match[3] ?? '';
  const served = types.filter((rt) => rt.group === group && rt.version === version);
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: served.map((rt) => ({
      name: rt.resource,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: verbsOf(rt),
      shortNames: rt.shortNames ?? [],
    })),
  };
}
