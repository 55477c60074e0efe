/**
 * Parses a request's method and path into what it asks for, as kube-apiserver's
 * RequestInfoFactory does: a resource request (group, version, namespace, resource, name,
 * subresource, verb) or a non-resource path (/healthz, /version, /openapi/v3, discovery).
 */
export type RequestVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'connect';

export interface ResourceRequestInfo {
  isResourceRequest: true;
  /** `api` (core group) or `apis`. */
  prefix: 'api' | 'apis';
  group: string;
  version: string;
  namespace: string | undefined;
  resource: string;
  name: string | undefined;
  subresource: string | undefined;
  verb: RequestVerb;
  /** Path segments after the subresource (pod proxy paths). */
  rest: string[];
}

export interface NonResourceRequestInfo {
  isResourceRequest: false;
  path: string;
  verb: string;
  /** For discovery paths: /api, /api/v1, /apis, /apis/<group>, /apis/<group>/<version>. */
  discovery?: { prefix: 'api' | 'apis'; group?: string; version?: string };
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

/**
 * Splits a URL path into segments, decoding each; throws URIError on malformed escapes (the
 * caller answers 400).
 */
function segments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => decodeURIComponent(s));
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = segments(path);
  const lowerMethod = method.toLowerCase();
  const nonResource = (discovery?: NonResourceRequestInfo['discovery']): NonResourceRequestInfo => {
    const info: NonResourceRequestInfo = { isResourceRequest: false, path, verb: lowerMethod };
    if (discovery) info.discovery = discovery;
    return info;
  };
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource();

  let i = 1;
  let group = '';
  if (prefix === 'apis') {
    if (parts.length === 1) return nonResource({ prefix });
    group = parts[i++] as string;
    if (parts.length === 2) return nonResource({ prefix, group });
  }
  const version = parts[i++];
  if (version === undefined) return nonResource({ prefix });
  if (i === parts.length) return nonResource({ prefix, group, version });

  let rest = parts.slice(i);
  let namespace: string | undefined;
  // /namespaces/{ns}/{resource}/...; but /namespaces/{name}[/status|/finalize] is the namespaces
  // resource itself (cluster-scoped).
  if (rest[0] === 'namespaces' && rest.length >= 3 && !NAMESPACE_SUBRESOURCES.has(rest[2] as string)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = rest[0] as string;
  const name = rest[1];
  const subresource = rest[2];

  let verb: RequestVerb;
  const watch = query.get('watch');
  const isWatch = watch === 'true' || watch === '1';
  switch (lowerMethod) {
    case 'get':
    case 'head':
      verb = name === undefined ? (isWatch ? 'watch' : 'list') : isWatch ? 'watch' : 'get';
      break;
    case 'post':
      verb = 'create';
      break;
    case 'put':
      verb = 'update';
      break;
    case 'patch':
      verb = 'patch';
      break;
    case 'delete':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = lowerMethod as RequestVerb;
  }
  // Connect-style subresources (exec, attach, portforward, proxy, log) are 'connect' for POST
  // and GET alike, as RBAC sees them; log stays 'get'.
  if (subresource && ['exec', 'attach', 'portforward', 'proxy'].includes(subresource)) verb = 'connect';
  return {
    isResourceRequest: true,
    prefix,
    group,
    version,
    namespace,
    resource,
    name,
    subresource,
    verb,
    rest: rest.slice(3),
  };
}
