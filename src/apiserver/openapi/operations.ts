/**
 * The REST operations of a group-version, derived from the registry: for each resource the
 * paths and operations its verbs and subresources allow, with kube-apiserver's operation ids,
 * `x-kubernetes-action`s and query parameters. A neutral model; builder_v3.ts and builder_v2.ts
 * render it. Called by openapi_service.ts when it (re)builds a document.
 */
import { type ResourceType, type Verb, verbsOf } from '../../api/registry.js';
import {
  CREATE_PARAMETERS,
  DELETE_COLLECTION_PARAMETERS,
  DELETE_PARAMETERS,
  LIST_PARAMETERS,
  PARAMETERS,
  PATCH_PARAMETERS,
  type Parameter,
  UPDATE_PARAMETERS,
} from './parameters.js';
import type { GroupVersionKind } from './schema.js';

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch' | 'head' | 'options';

export type Action = 'get' | 'list' | 'put' | 'patch' | 'post' | 'delete' | 'deletecollection' | 'watch' | 'watchlist' | 'connect';

export interface Response {
  code: number;
  description: string;
  /** Definition name of the body; absent with `text`. */
  definition?: string;
  /** A plain string body (logs, connect). */
  text?: boolean;
}

export interface Operation {
  method: Method;
  action: Action;
  operationId: string;
  description: string;
  tag: string;
  gvk?: GroupVersionKind;
  /** Query (and for connect, path) parameters of this operation alone. */
  parameters: readonly Parameter[];
  body?: { definition: string; contentTypes: readonly string[] };
  responses: readonly Response[];
  /** Response content types. */
  produces: readonly string[];
}

export interface PathItem {
  path: string;
  /** Path parameters and `pretty`, shared by every operation of the path. */
  parameters: readonly Parameter[];
  operations: Operation[];
}

/** The definitions a resource's operations refer to. */
export interface ResourceDefinitions {
  /** The kind's definition (`io.k8s.api.core.v1.Pod`). */
  object: string;
  /** Its list kind's definition (`io.k8s.api.core.v1.PodList`). */
  list: string;
  /** Whether strategic merge patch applies (built-in kinds only, as in Kubernetes). */
  strategicMergePatch: boolean;
}

const JSON_TYPES = ['application/json', 'application/yaml'] as const;
const WATCH_TYPES = ['application/json', 'application/json;stream=watch'] as const;
const TEXT_TYPES = ['*/*'] as const;
const ANY_BODY = ['*/*'] as const;
const PATCH_TYPES = [
  'application/apply-patch+yaml',
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
] as const;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const STATUS_DEFINITION = `${META}.Status`;
export const DELETE_OPTIONS_DEFINITION = `${META}.DeleteOptions`;
export const WATCH_EVENT_DEFINITION = `${META}.WatchEvent`;
export const PATCH_DEFINITION = `${META}.Patch`;
export const SCALE_DEFINITION = 'io.k8s.api.autoscaling.v1.Scale';
const SCALE_GVK: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

/** Subresources that write part of the object: get, put and patch of the object's own kind. */
const OBJECT_SUBRESOURCES = new Set(['status', 'ephemeralcontainers', 'resize', 'approval']);

/** Subresources that take a body of another kind with a POST. */
const POST_SUBRESOURCES: Record<string, { definition: string; gvk: GroupVersionKind }> = {
  binding: { definition: 'io.k8s.api.core.v1.Binding', gvk: { group: '', version: 'v1', kind: 'Binding' } },
  eviction: { definition: 'io.k8s.api.policy.v1.Eviction', gvk: { group: 'policy', version: 'v1', kind: 'Eviction' } },
  token: {
    definition: 'io.k8s.api.authentication.v1.TokenRequest',
    gvk: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
  },
};

/** Streaming subresources (kube-apiserver's "connect" operations) and the methods they take. */
const CONNECT_SUBRESOURCES: Record<string, readonly Method[]> = {
  attach: ['get', 'post'],
  exec: ['get', 'post'],
  portforward: ['get', 'post'],
  proxy: ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'],
};

const LOG_PARAMETERS: readonly Parameter[] = [
  { name: 'container', in: 'query', type: 'string', description: 'The container for which to stream logs. Defaults to only container if there is one container in the pod.' },
  { name: 'follow', in: 'query', type: 'boolean', description: 'Follow the log stream of the pod. Defaults to false.' },
  { name: 'limitBytes', in: 'query', type: 'integer', description: 'If set, the number of bytes to read from the server before terminating the log output.' },
  { name: 'previous', in: 'query', type: 'boolean', description: 'Return previous terminated container logs. Defaults to false.' },
  { name: 'sinceSeconds', in: 'query', type: 'integer', description: 'A relative time in seconds before the current time from which to show logs.' },
  { name: 'tailLines', in: 'query', type: 'integer', description: 'If set, the number of lines from the end of the logs to show.' },
  { name: 'timestamps', in: 'query', type: 'boolean', description: 'If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output. Defaults to false.' },
];

/** `rbac.authorization.k8s.io` → `RbacAuthorization`; the core group is `Core`. */
export function groupCamel(group: string): string {
  if (group === '') return 'Core';
  return group.replace(/\.k8s\.io$/, '').split(/[.-]/).filter(Boolean).map(capitalize).join('');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `apis/apps/v1`, or `api/v1` for the core group: the key in the v3 root and the URL prefix. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

/**
 * Every path of one resource, in a fixed order (collection, item, subresources, watch,
 * all-namespaces). `defs` names the definitions its operations refer to.
 */
export function resourcePaths(rt: ResourceType, defs: ResourceDefinitions): PathItem[] {
  const verbs = new Set<Verb>(verbsOf(rt));
  const prefix = `/${groupVersionPath(rt.group, rt.version)}`;
  const scope = rt.namespaced ? `/namespaces/{namespace}` : '';
  const scopeParams = rt.namespaced ? [PARAMETERS.namespace] : [];
  const ns = rt.namespaced ? 'Namespaced' : '';
  const id = `${groupCamel(rt.group)}${capitalize(rt.version)}`;
  const tag = `${groupCamel(rt.group).charAt(0).toLowerCase()}${groupCamel(rt.group).slice(1)}_${rt.version}`;
  const gvk: GroupVersionKind = { group: rt.group, version: rt.version, kind: rt.kind };
  const kind = rt.kind;
  const op = (o: Omit<Operation, 'tag'>): Operation => ({ ...o, tag });
  const ok = (definition: string): Response => ({ code: 200, description: 'OK', definition });
  const writeResponses = (definition: string): Response[] => [
    ok(definition),
    { code: 201, description: 'Created', definition },
  ];
  const patchBody = {
    definition: PATCH_DEFINITION,
    contentTypes: defs.strategicMergePatch ? PATCH_TYPES : PATCH_TYPES.filter((t) => !t.includes('strategic')),
  };
  const paths: PathItem[] = [];

  const collection: Operation[] = [];
  if (verbs.has('list')) {
    collection.push(op({
      method: 'get', action: 'list', operationId: `list${id}${ns}${kind}`,
      description: `list or watch objects of kind ${kind}`, gvk, parameters: LIST_PARAMETERS,
      responses: [ok(defs.list)], produces: WATCH_TYPES,
    }));
  }
  if (verbs.has('create')) {
    collection.push(op({
      method: 'post', action: 'post', operationId: `create${id}${ns}${kind}`, description: `create a ${kind}`, gvk,
      parameters: CREATE_PARAMETERS, body: { definition: defs.object, contentTypes: ANY_BODY },
      responses: [...writeResponses(defs.object), { code: 202, description: 'Accepted', definition: defs.object }],
      produces: JSON_TYPES,
    }));
  }
  if (verbs.has('deletecollection')) {
    collection.push(op({
      method: 'delete', action: 'deletecollection', operationId: `delete${id}Collection${ns}${kind}`,
      description: `delete collection of ${kind}`, gvk, parameters: DELETE_COLLECTION_PARAMETERS,
      body: { definition: DELETE_OPTIONS_DEFINITION, contentTypes: ANY_BODY },
      responses: [ok(STATUS_DEFINITION)], produces: JSON_TYPES,
    }));
  }
  if (collection.length > 0) {
    paths.push({ path: `${prefix}${scope}/${rt.resource}`, parameters: [...scopeParams, PARAMETERS.pretty], operations: collection });
  }

  const itemPath = `${prefix}${scope}/${rt.resource}/{name}`;
  const itemParams = [PARAMETERS.name, ...scopeParams, PARAMETERS.pretty];
  const item: Operation[] = [];
  if (verbs.has('get')) {
    item.push(op({
      method: 'get', action: 'get', operationId: `read${id}${ns}${kind}`, description: `read the specified ${kind}`, gvk,
      parameters: [], responses: [ok(defs.object)], produces: JSON_TYPES,
    }));
  }
  if (verbs.has('update')) {
    item.push(op({
      method: 'put', action: 'put', operationId: `replace${id}${ns}${kind}`, description: `replace the specified ${kind}`, gvk,
      parameters: UPDATE_PARAMETERS, body: { definition: defs.object, contentTypes: ANY_BODY },
      responses: writeResponses(defs.object), produces: JSON_TYPES,
    }));
  }
  if (verbs.has('patch')) {
    item.push(op({
      method: 'patch', action: 'patch', operationId: `patch${id}${ns}${kind}`,
      description: `partially update the specified ${kind}`, gvk, parameters: PATCH_PARAMETERS, body: patchBody,
      responses: writeResponses(defs.object), produces: JSON_TYPES,
    }));
  }
  if (verbs.has('delete')) {
    item.push(op({
      method: 'delete', action: 'delete', operationId: `delete${id}${ns}${kind}`, description: `delete a ${kind}`, gvk,
      parameters: DELETE_PARAMETERS, body: { definition: DELETE_OPTIONS_DEFINITION, contentTypes: ANY_BODY },
      responses: [ok(STATUS_DEFINITION), { code: 202, description: 'Accepted', definition: STATUS_DEFINITION }],
      produces: JSON_TYPES,
    }));
  }
  if (item.length > 0) paths.push({ path: itemPath, parameters: itemParams, operations: item });

  paths.push(...subresourcePaths(rt, defs, {
    itemPath, itemParams, gvId: id, objectId: `${ns}${kind}`, id: `${id}${ns}${kind}`, gvk, op, patchBody,
  }));

  if (verbs.has('watch')) {
    const watchPrefix = `${prefix}/watch${scope}/${rt.resource}`;
    paths.push({
      path: watchPrefix, parameters: [...scopeParams, PARAMETERS.pretty, ...LIST_PARAMETERS],
      operations: [op({
        method: 'get', action: 'watchlist', operationId: `watch${id}${ns}${kind}List`,
        description: `watch individual changes to a list of ${kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
        gvk, parameters: [], responses: [ok(WATCH_EVENT_DEFINITION)], produces: WATCH_TYPES,
      })],
    });
    paths.push({
      path: `${watchPrefix}/{name}`, parameters: [PARAMETERS.name, ...scopeParams, PARAMETERS.pretty, ...LIST_PARAMETERS],
      operations: [op({
        method: 'get', action: 'watch', operationId: `watch${id}${ns}${kind}`,
        description: `watch changes to an object of kind ${kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
        gvk, parameters: [], responses: [ok(WATCH_EVENT_DEFINITION)], produces: WATCH_TYPES,
      })],
    });
  }

  if (rt.namespaced && verbs.has('list')) {
    paths.push({
      path: `${prefix}/${rt.resource}`, parameters: [PARAMETERS.pretty, ...LIST_PARAMETERS],
      operations: [op({
        method: 'get', action: 'list', operationId: `list${id}${kind}ForAllNamespaces`,
        description: `list or watch objects of kind ${kind}`, gvk, parameters: [], responses: [ok(defs.list)], produces: WATCH_TYPES,
      })],
    });
    if (verbs.has('watch')) {
      paths.push({
        path: `${prefix}/watch/${rt.resource}`, parameters: [PARAMETERS.pretty, ...LIST_PARAMETERS],
        operations: [op({
          method: 'get', action: 'watchlist', operationId: `watch${id}${kind}ListForAllNamespaces`,
          description: `watch individual changes to a list of ${kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
          gvk, parameters: [], responses: [ok(WATCH_EVENT_DEFINITION)], produces: WATCH_TYPES,
        })],
      });
    }
  }
  return paths;
}

interface SubresourceContext {
  itemPath: string;
  itemParams: readonly Parameter[];
  /** `CoreV1`. */
  gvId: string;
  /** `NamespacedPod`. */
  objectId: string;
  /** `CoreV1NamespacedPod`. */
  id: string;
  gvk: GroupVersionKind;
  op: (o: Omit<Operation, 'tag'>) => Operation;
  patchBody: NonNullable<Operation['body']>;
}

function subresourcePaths(rt: ResourceType, defs: ResourceDefinitions, ctx: SubresourceContext): PathItem[] {
  const { op, id, gvk, itemParams } = ctx;
  const names: string[] = [];
  if (rt.subresources?.status) names.push('status');
  if (rt.subresources?.scale) names.push('scale');
  names.push(...(rt.subresources?.others ?? []));
  const paths: PathItem[] = [];
  for (const sub of names) {
    const Sub = capitalize(sub);
    const path = `${ctx.itemPath}/${sub}`;
    const readUpdatePatch = (definition: string, subGvk: GroupVersionKind): Operation[] => [
      op({ method: 'get', action: 'get', operationId: `read${id}${Sub}`, description: `read ${sub} of the specified ${rt.kind}`,
        gvk: subGvk, parameters: [], responses: [{ code: 200, description: 'OK', definition }], produces: JSON_TYPES }),
      op({ method: 'put', action: 'put', operationId: `replace${id}${Sub}`, description: `replace ${sub} of the specified ${rt.kind}`,
        gvk: subGvk, parameters: UPDATE_PARAMETERS, body: { definition, contentTypes: ANY_BODY },
        responses: [{ code: 200, description: 'OK', definition }, { code: 201, description: 'Created', definition }], produces: JSON_TYPES }),
      op({ method: 'patch', action: 'patch', operationId: `patch${id}${Sub}`,
        description: `partially update ${sub} of the specified ${rt.kind}`, gvk: subGvk, parameters: PATCH_PARAMETERS,
        body: ctx.patchBody,
        responses: [{ code: 200, description: 'OK', definition }, { code: 201, description: 'Created', definition }], produces: JSON_TYPES }),
    ];
    const post = POST_SUBRESOURCES[sub];
    const connect = CONNECT_SUBRESOURCES[sub];
    if (OBJECT_SUBRESOURCES.has(sub)) {
      paths.push({ path, parameters: itemParams, operations: readUpdatePatch(defs.object, gvk) });
    } else if (sub === 'scale') {
      paths.push({ path, parameters: itemParams, operations: readUpdatePatch(SCALE_DEFINITION, SCALE_GVK) });
    } else if (sub === 'log') {
      paths.push({ path, parameters: itemParams, operations: [op({
        method: 'get', action: 'get', operationId: `read${id}Log`, description: `read log of the specified ${rt.kind}`, gvk,
        parameters: LOG_PARAMETERS, responses: [{ code: 200, description: 'OK', text: true }],
        produces: ['text/plain', 'application/json', 'application/yaml'],
      })] });
    } else if (sub === 'finalize') {
      paths.push({ path, parameters: itemParams, operations: [op({
        method: 'put', action: 'put', operationId: `replace${id}Finalize`, description: `replace finalize of the specified ${rt.kind}`,
        gvk, parameters: UPDATE_PARAMETERS, body: { definition: defs.object, contentTypes: ANY_BODY },
        responses: [{ code: 200, description: 'OK', definition: defs.object }], produces: JSON_TYPES,
      })] });
    } else if (post) {
      paths.push({ path, parameters: itemParams, operations: [op({
        method: 'post', action: 'post', operationId: `create${id}${Sub}`, description: `create ${sub} of a ${rt.kind}`,
        gvk: post.gvk, parameters: CREATE_PARAMETERS, body: { definition: post.definition, contentTypes: ANY_BODY },
        responses: [{ code: 200, description: 'OK', definition: post.definition }, { code: 201, description: 'Created', definition: post.definition }],
        produces: JSON_TYPES,
      })] });
    } else if (connect) {
      const connectOps = (pathSuffix: string, extra: readonly Parameter[]): PathItem => ({
        path: path + pathSuffix,
        parameters: [...itemParams.filter((p) => p.name !== 'pretty'), ...extra],
        operations: connect.map((method) => op({
          method, action: 'connect', operationId: `connect${ctx.gvId}${capitalize(method)}${ctx.objectId}${Sub}${pathSuffix ? 'WithPath' : ''}`,
          description: `connect ${method.toUpperCase()} requests to ${sub} of ${rt.kind}`, gvk: { ...gvk, kind: `${rt.kind}${Sub}Options` },
          parameters: [], responses: [{ code: 200, description: 'OK', text: true }], produces: TEXT_TYPES,
        })),
      });
      paths.push(connectOps('', []));
      if (sub === 'proxy') paths.push(connectOps('/{path}', [PARAMETERS.path]));
    }
    // Other subresources (served by dedicated handlers kts may add later) are not described.
  }
  return paths;
}
