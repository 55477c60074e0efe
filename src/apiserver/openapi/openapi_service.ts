/**
 * kts's OpenAPI documents, built from the resource registry and the schema definitions, each
 * built once on first request and cached with its hash until the registry (or a definition)
 * changes: the v3 root (`/openapi/v3`), one v3 document per group-version
 * (`/openapi/v3/apis/apps/v1`), and the v2 document (`/openapi/v2`). The HTTP server calls it
 * through openapi_handler.ts; a CRD controller adds a CRD's schema with putDefinition() before
 * adding its resource to the registry.
 */
import { createHash } from 'node:crypto';
import { isBuiltinKind } from '../../api/patch/patch_strategies.js';
import { groupVersion, type Registry, type ResourceType } from '../../api/registry.js';
import { buildV2Document } from './builder_v2.js';
import { buildV3Document, type DocumentInfo } from './builder_v3.js';
import { loadDefinitions } from './definitions.js';
import {
  DELETE_OPTIONS_DEFINITION,
  groupVersionPath,
  type PathItem,
  PATCH_DEFINITION,
  type ResourceDefinitions,
  resourcePaths,
  STATUS_DEFINITION,
  WATCH_EVENT_DEFINITION,
} from './operations.js';
import { closure, refTo, type Schema } from './schema.js';
import { definitionToV3 } from './schema_v3.js';

/** One serialized document and its validators. */
export interface ServedDocument {
  /** The JSON bytes. */
  readonly body: Buffer;
  /** Upper-case hex SHA-512 of `body`, as kube-apiserver computes it. */
  readonly hash: string;
  /** `"<hash>"`, the ETag header value. */
  readonly etag: string;
  /** When this content was first built (the Last-Modified header). */
  readonly lastModified: Date;
}

export interface OpenAPIServiceOptions {
  registry: Registry;
  /** info.version of the documents (the server's version); `unversioned` when absent. */
  version?: string;
  /** Supplies the built-in definitions; called once, on the first document request. */
  definitions?: () => Map<string, Schema>;
  /** The clock for Last-Modified. */
  now?: () => Date;
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** Definitions every document carries, whatever its resources refer to. */
const COMMON_ROOTS = [STATUS_DEFINITION, DELETE_OPTIONS_DEFINITION, WATCH_EVENT_DEFINITION, PATCH_DEFINITION];

/**
 * Builds and caches the documents. Not safe to share across threads (there are none); every
 * method is synchronous. Building all v3 documents for the built-in resources takes tens of ms,
 * done on the first `v3Root()` (which needs every hash); warm() does it ahead of time.
 */
export class OpenAPIService {
  private readonly registry: Registry;
  private readonly info: DocumentInfo;
  private readonly now: () => Date;
  private readonly supplyDefinitions: () => Map<string, Schema>;
  private readonly unsubscribe: () => void;

  private defs: Map<string, Schema> | undefined;
  /** Definitions added at run time (CRDs), over the built-in ones. */
  private readonly added = new Map<string, Schema>();
  private gvkIndex: Map<string, string> | undefined;
  private readonly v3Schemas = new Map<string, Schema>();

  private v3Docs: Map<string, ServedDocument> | undefined;
  private root: ServedDocument | undefined;
  private v2Doc: ServedDocument | undefined;
  /** First-built times by hash: content that comes back after a change keeps its date. */
  private readonly builtAt = new Map<string, Date>();

  constructor(options: OpenAPIServiceOptions) {
    this.registry = options.registry;
    this.info = { title: 'Kubernetes', version: options.version ?? 'unversioned' };
    this.now = options.now ?? (() => new Date());
    this.supplyDefinitions = options.definitions ?? (() => loadDefinitions());
    this.unsubscribe = this.registry.onChange(() => this.invalidate());
  }

  /** Stops following registry changes. */
  close(): void {
    this.unsubscribe();
  }

  /** Builds every document now rather than on the first request. */
  warm(): void {
    this.v3Root();
    this.v2();
  }

  /** `/openapi/v3`: `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}}}`. */
  v3Root(): ServedDocument {
    if (!this.root) {
      const paths: Record<string, { serverRelativeURL: string }> = {};
      for (const [path, doc] of this.allV3()) {
        paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
      }
      this.root = this.serve({ paths });
    }
    return this.root;
  }

  /** The v3 document of a group-version by its root key (`api/v1`, `apis/apps/v1`); undefined if none is served. */
  v3(path: string): ServedDocument | undefined {
    return this.allV3().get(path);
  }

  /** `/openapi/v2` as JSON: every path and every definition they reach. */
  v2(): ServedDocument {
    if (!this.v2Doc) {
      const paths: PathItem[] = [];
      const roots = new Set(COMMON_ROOTS);
      for (const types of this.groupVersions().values()) {
        for (const rt of types) {
          const defs = this.resourceDefinitions(rt);
          paths.push(...resourcePaths(rt, defs));
          roots.add(defs.object).add(defs.list);
        }
      }
      addOperationRoots(paths, roots);
      const all = this.definitions();
      const definitions: Record<string, Schema> = {};
      for (const name of closure(all, roots)) definitions[name] = all.get(name)!;
      this.v2Doc = this.serve(buildV2Document(this.info, paths, definitions));
    }
    return this.v2Doc;
  }

  /**
   * Adds or replaces a definition (a CRD version's structural schema, with its
   * `x-kubernetes-group-version-kind`, in v2 form: refs as `#/definitions/<name>`). Documents
   * are rebuilt on their next request.
   */
  putDefinition(name: string, schema: Schema): void {
    this.added.set(name, schema);
    this.definitionsChanged(name);
  }

  /** Removes a definition added with putDefinition(); built-in ones stay. */
  removeDefinition(name: string): void {
    if (this.added.delete(name)) this.definitionsChanged(name);
  }

  private definitionsChanged(name: string): void {
    this.defs = undefined;
    this.gvkIndex = undefined;
    this.v3Schemas.delete(name);
    this.invalidate();
  }

  private invalidate(): void {
    this.v3Docs = undefined;
    this.root = undefined;
    this.v2Doc = undefined;
  }

  private builtin: Map<string, Schema> | undefined;

  /** Built-in definitions (loaded once) with the added ones over them. */
  private definitions(): Map<string, Schema> {
    if (!this.defs) {
      this.builtin ??= this.supplyDefinitions();
      if (this.added.size === 0) {
        this.defs = this.builtin;
      } else {
        this.defs = new Map(this.builtin);
        for (const [name, schema] of this.added) this.defs.set(name, schema);
      }
    }
    return this.defs;
  }

  /** `group/version/kind` → definition name, from the definitions' x-kubernetes-group-version-kind. */
  private definitionFor(group: string, version: string, kind: string): string | undefined {
    if (!this.gvkIndex) {
      this.gvkIndex = new Map();
      for (const [name, schema] of this.definitions()) {
        for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
          this.gvkIndex.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, name);
        }
      }
    }
    return this.gvkIndex.get(`${group}/${version}/${kind}`);
  }

  /**
   * The definitions a resource's operations name. A kind without a published schema (a CRD
   * without one) gets a permissive one, named as Kubernetes names CRD schemas
   * (`com.example.v1.Widget`).
   */
  private resourceDefinitions(rt: ResourceType): ResourceDefinitions {
    const object = this.definitionFor(rt.group, rt.version, rt.kind);
    const list = this.definitionFor(rt.group, rt.version, `${rt.kind}List`);
    const strategicMergePatch = isBuiltinKind(rt.group, rt.kind);
    if (object && list) return { object, list, strategicMergePatch };
    const prefix = [...rt.group.split('.').reverse(), rt.version].filter(Boolean).join('.');
    const objectName = object ?? `${prefix}.${rt.kind}`;
    const listName = list ?? `${prefix}.${rt.kind}List`;
    if (!object) this.added.set(objectName, permissiveObject(rt));
    if (!list) this.added.set(listName, permissiveList(rt, objectName));
    this.defs = undefined;
    this.gvkIndex = undefined;
    return { object: objectName, list: listName, strategicMergePatch };
  }

  /** Served resources by group-version path (`apis/apps/v1`), in registry order. */
  private groupVersions(): Map<string, ResourceType[]> {
    const byGv = new Map<string, ResourceType[]>();
    for (const rt of this.registry.all()) {
      const key = groupVersionPath(rt.group, rt.version);
      const list = byGv.get(key);
      if (list) list.push(rt);
      else byGv.set(key, [rt]);
    }
    return byGv;
  }

  private allV3(): Map<string, ServedDocument> {
    if (!this.v3Docs) {
      const docs = new Map<string, ServedDocument>();
      for (const [path, types] of this.groupVersions()) docs.set(path, this.buildV3(types));
      this.v3Docs = docs;
    }
    return this.v3Docs;
  }

  private buildV3(types: readonly ResourceType[]): ServedDocument {
    const paths: PathItem[] = [];
    const roots = new Set(COMMON_ROOTS);
    for (const rt of types) {
      const defs = this.resourceDefinitions(rt);
      paths.push(...resourcePaths(rt, defs));
      roots.add(defs.object).add(defs.list);
    }
    addOperationRoots(paths, roots);
    const all = this.definitions();
    const schemas: Record<string, Schema> = {};
    for (const name of closure(all, roots)) {
      let v3 = this.v3Schemas.get(name);
      if (!v3) {
        v3 = definitionToV3(name, all.get(name)!);
        this.v3Schemas.set(name, v3);
      }
      schemas[name] = v3;
    }
    const title = `Kubernetes ${types[0] ? groupVersion(types[0]) : ''} API`;
    return this.serve(buildV3Document({ ...this.info, title }, paths, schemas));
  }

  private serve(doc: unknown): ServedDocument {
    const body = Buffer.from(JSON.stringify(doc));
    const hash = createHash('sha512').update(body).digest('hex').toUpperCase();
    let lastModified = this.builtAt.get(hash);
    if (!lastModified) {
      lastModified = this.now();
      this.builtAt.set(hash, lastModified);
    }
    return { body, hash, etag: `"${hash}"`, lastModified };
  }
}

/** Adds the definitions operations take or return beyond the resource's own (Scale, Binding, ...). */
function addOperationRoots(paths: readonly PathItem[], roots: Set<string>): void {
  for (const item of paths) {
    for (const op of item.operations) {
      if (op.body) roots.add(op.body.definition);
      for (const r of op.responses) if (r.definition) roots.add(r.definition);
    }
  }
}

const TYPE_META: Record<string, Schema> = {
  apiVersion: {
    type: 'string',
    description:
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
  },
  kind: {
    type: 'string',
    description:
      'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
  },
};

function permissiveObject(rt: ResourceType): Schema {
  return {
    type: 'object',
    properties: {
      ...TYPE_META,
      metadata: { ...refTo(`${META}.ObjectMeta`), description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" },
    },
    'x-kubernetes-preserve-unknown-fields': true,
    'x-kubernetes-group-version-kind': [{ group: rt.group, kind: rt.kind, version: rt.version }],
  };
}

function permissiveList(rt: ResourceType, objectName: string): Schema {
  return {
    description: `${rt.kind}List is a list of ${rt.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      ...TYPE_META,
      items: { type: 'array', items: refTo(objectName), description: `List of ${rt.resource}.` },
      metadata: { ...refTo(`${META}.ListMeta`), description: 'Standard list metadata.' },
    },
    'x-kubernetes-group-version-kind': [{ group: rt.group, kind: `${rt.kind}List`, version: rt.version }],
  };
}
