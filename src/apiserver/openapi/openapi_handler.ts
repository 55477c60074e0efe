/**
 * HTTP semantics of the OpenAPI endpoints, independent of the server's framework: which
 * document a path names, the caching headers kube-apiserver (kube-openapi's handler3) sends,
 * conditional requests, and the hash redirect. The HTTP core calls handleOpenAPIRequest() for
 * paths under /openapi/ and writes what it returns.
 *
 * kubectl's behaviour this serves (kubectl 1.32): it GETs `/openapi/v3` (revalidating with
 * If-None-Match / If-Modified-Since once cached), then `/openapi/v3/<gv>?hash=<hash>` for the
 * group-version it needs, which it caches for good (`Cache-Control: public, immutable`).
 * `/openapi/v2` is asked for only as protobuf, which kts does not produce: such a request gets
 * 406, after which kubectl tries `/swagger-2.0.0.pb-v1` and gives up; it uses v2 only when v3
 * is missing, so this costs nothing while v3 is served.
 */
import { methodNotAllowed, notAcceptable, statusFailure } from '../../api/errors.js';
import type { OpenAPIService, ServedDocument } from './openapi_service.js';

export interface OpenAPIRequest {
  method: string;
  /** The URL path without the query (`/openapi/v3/apis/apps/v1`). */
  path: string;
  query: URLSearchParams;
  /** Request headers, lower-case names. */
  headers: { accept?: string; 'if-none-match'?: string; 'if-modified-since'?: string };
}

export interface OpenAPIResponse {
  status: 200 | 301 | 304;
  headers: Record<string, string>;
  /** Absent for 301, 304 and HEAD. */
  body?: Buffer;
}

const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** Whether a path is one of the OpenAPI endpoints. */
export function isOpenAPIPath(path: string): boolean {
  return path === '/openapi/v2' || path === '/openapi/v3' || path.startsWith('/openapi/v3/');
}

/**
 * Answers one request for `/openapi/v2`, `/openapi/v3` or `/openapi/v3/<gv>`. Throws a
 * StatusError for 404 (no such document), 405 (not GET/HEAD) and 406 (v2 asked only as
 * protobuf); the caller writes it as any other Status.
 */
export function handleOpenAPIRequest(service: OpenAPIService, req: OpenAPIRequest): OpenAPIResponse {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw methodNotAllowed(`${req.method} is not supported on ${req.path}`);
  }
  const path = req.path.replace(/\/+$/, '');
  if (path === '/openapi/v2') {
    if (!acceptsJson(req.headers.accept)) {
      throw notAcceptable(`only application/json is served at /openapi/v2, not ${V2_PROTOBUF}`);
    }
    return respond(req, service.v2(), 'no-cache, private');
  }
  if (path === '/openapi/v3') return respond(req, service.v3Root(), 'no-cache, private');
  const gv = path.slice('/openapi/v3/'.length);
  const doc = path.startsWith('/openapi/v3/') ? service.v3(gv) : undefined;
  if (!doc) throw statusFailure(404, 'NotFound', `the server could not find the requested resource (${req.path})`);
  const hash = req.query.get('hash');
  if (hash && hash !== doc.hash) {
    // As kube-openapi does: a stale hash is sent to the current one (it is a permanent URL).
    return {
      status: 301,
      headers: { Location: `/openapi/v3/${gv}?hash=${doc.hash}`, 'Cache-Control': 'no-cache, private' },
    };
  }
  const response = respond(req, doc, hash ? 'public, immutable' : 'no-cache, private');
  if (hash && response.status === 200) response.headers.Expires = new Date(doc.lastModified.getTime() + YEAR_MS).toUTCString();
  return response;
}

function respond(req: OpenAPIRequest, doc: ServedDocument, cacheControl: string): OpenAPIResponse {
  const headers: Record<string, string> = {
    ETag: doc.etag,
    'Last-Modified': doc.lastModified.toUTCString(),
    'Cache-Control': cacheControl,
  };
  if (notModified(req, doc)) return { status: 304, headers };
  headers['Content-Type'] = 'application/json';
  headers['Content-Length'] = String(doc.body.length);
  return req.method === 'HEAD' ? { status: 200, headers } : { status: 200, headers, body: doc.body };
}

/** RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since is compared at second precision. */
function notModified(req: OpenAPIRequest, doc: ServedDocument): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    return inm.split(',').some((tag) => {
      const t = tag.trim().replace(/^W\//, '');
      return t === '*' || t === doc.etag;
    });
  }
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Math.floor(doc.lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

/** An absent Accept, `*\/*`, `application/*` or `application/json` (any parameters). */
function acceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const type = part.split(';')[0]!.trim().toLowerCase();
    return type === 'application/json' || type === '*/*' || type === 'application/*';
  });
}
