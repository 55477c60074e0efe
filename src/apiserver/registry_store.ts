/**
 * Generic storage of one resource behind the API, as kube-apiserver's generic registry store:
 * get, list, watch, create, update, delete with Kubernetes semantics (server-set metadata,
 * defaulting, validation, admission, optimistic concurrency, status subresource rules,
 * finalizers and graceful deletion). HTTP concerns stay in the handlers; storage errors are
 * translated to Status errors here, once.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import {
  OBJECT_MODIFIED,
  alreadyExists,
  badRequest,
  conflict,
  expired,
  internalError,
  invalid,
  notFound,
  serviceUnavailable,
  timeout,
  type FieldError,
  type ObjectRef,
} from '../api/errors.js';
import { generateName } from '../api/names.js';
import type { KubeObject } from '../api/object.js';
import { groupVersion, storageKey, storagePrefix, type ResourceType } from '../api/registry.js';
import { managedFieldsAfterWrite } from '../api/patch/managed_fields.js';
import { rfc3339 } from '../api/time.js';
import { isStorageError, type KeyValue, type Store } from '../storage/store.js';
import type { AdmissionAttributes, AdmissionChain } from './admission/admission.js';
import type { UserInfo } from './authn/interfaces.js';
import { decodeContinue, encodeContinue } from './continue_token.js';
import { decodeStored, encodeForStorage } from './stored_object.js';
import { WatchCache, type ObjectFilter, type WatcherEvent } from './watch_cache.js';
import type { WatchQueue } from '../storage/watch_queue.js';
import { validateObjectMetaForCreate, validateObjectMetaForUpdate } from './object_meta_checks.js';

export interface RequestContext {
  user: UserInfo;
  dryRun: boolean;
  /** fieldManager, or the client's default (from its User-Agent). */
  fieldManager: string;
  now: number;
  /** Server-side apply has set managedFields already: the write leaves them alone. */
  managedFieldsDone?: boolean;
}

export interface ListOptions {
  filter: ObjectFilter;
  /** True when a selector narrows the list (paging then reads on until the page is full). */
  filtered: boolean;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** The outcome of a delete: the object is gone, or it is still there, marked for deletion. */
export interface DeleteResult {
  object: KubeObject;
  deleted: boolean;
}

/**
 * Resource-specific work around storage writes that needs state outside the object (a
 * Service's ClusterIP and NodePorts). `beforeCreate`/`beforeUpdate` run after validation, just
 * before the write, and return an undo that runs if the write fails (or on dry run);
 * `afterDelete` runs once the object is gone.
 */
export interface StoreHooks {
  beforeCreate?(obj: KubeObject): Undo;
  beforeUpdate?(obj: KubeObject, old: KubeObject): Undo;
  afterDelete?(obj: KubeObject): void;
}

export type Undo = () => void;

export interface RegistryStoreOptions {
  store: Store;
  resource: ResourceType;
  admission: AdmissionChain;
  hooks?: StoreHooks;
  logger?: Logger;
}

/** How long a list at a given resourceVersion waits for the cache to catch up (as kube-apiserver). */
const CACHE_WAIT_MS = 3_000;
/** Attempts of a read-modify-write (patch) that lost a race with another writer. */
const MAX_ATTEMPTS = 5;

export class RegistryStore {
  readonly resource: ResourceType;
  readonly cache: WatchCache;
  private readonly store: Store;
  private readonly admission: AdmissionChain;
  private readonly hooks: StoreHooks;
  /** Stored value → served object, and back: JSON, plus conversion for non-storage versions. */
  private readonly decode: (value: string, revision: number) => KubeObject;
  private readonly encode: (obj: KubeObject) => string;

  constructor(options: RegistryStoreOptions) {
    this.store = options.store;
    this.resource = options.resource;
    this.admission = options.admission;
    this.hooks = options.hooks ?? {};
    const conversion = options.resource.conversion;
    this.decode = conversion ? (value, rev) => conversion.fromStorage(decodeStored(value, rev)) : decodeStored;
    this.encode = conversion ? (obj) => encodeForStorage(conversion.toStorage(obj)) : encodeForStorage;
    this.cache = new WatchCache({
      store: options.store,
      prefix: storagePrefix(options.resource),
      decode: this.decode,
      logger: options.logger,
    });
  }

  ref(name?: string): ObjectRef {
    return { group: this.resource.group, resource: this.resource.resource, name };
  }

  key(namespace: string | undefined, name: string): string {
    return storageKey(this.resource, namespace, name);
  }

  /** Key prefix of a namespace's objects, or of all objects when `namespace` is undefined. */
  keyPrefix(namespace: string | undefined): string {
    const prefix = storagePrefix(this.resource);
    return this.resource.namespaced && namespace ? `${prefix}${namespace}/` : prefix;
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    const kv = await this.fetch(namespace, name);
    return this.decode(kv.value, kv.modRevision);
  }

  private async fetch(namespace: string | undefined, name: string): Promise<KeyValue> {
    const kv = await this.storage(() => this.store.get(this.key(namespace, name)));
    if (!kv) throw notFound(this.ref(name));
    return kv;
  }

  /**
   * An object to serve, not to change: the watch cache's when it holds the revision storage
   * has (that spares a parse, and its JSON is made once, see sharedJson), else storage's.
   * Storage is read either way, so a GET sees every write acknowledged before it.
   */
  async read(namespace: string | undefined, name: string): Promise<KubeObject> {
    return this.served(await this.fetch(namespace, name));
  }

  /** A stored entry as an object to serve; a key at one revision is one value, so the cache's copy is exact. */
  private served(kv: KeyValue): KubeObject {
    const cached = this.cache.get(kv.key);
    if (cached !== undefined && cached.metadata.resourceVersion === String(kv.modRevision)) return cached;
    return this.decode(kv.value, kv.modRevision);
  }

  /** Lists objects to serve, not to change (those from the watch cache are shared). */
  async list(namespace: string | undefined, options: ListOptions): Promise<ListResult> {
    const prefix = this.keyPrefix(namespace);
    const rv = options.resourceVersion;
    // resourceVersion "0" (any) or N with NotOlderThan and no paging: served from the cache.
    if (options.continueToken === undefined && rv !== undefined && rv !== '' && options.resourceVersionMatch !== 'Exact') {
      const wanted = parseResourceVersion(rv);
      if (wanted > 0 && !(await this.cache.waitFor(wanted, CACHE_WAIT_MS))) {
        throw timeout(`Too large resource version: ${wanted}, current: ${this.cache.revision}`);
      }
      await this.cache.ready;
      return { items: this.cache.list(prefix, options.filter), resourceVersion: String(this.cache.revision) };
    }
    return this.listFromStorage(prefix, options);
  }

  watch(namespace: string | undefined, resourceVersion: string | undefined, filter: ObjectFilter): Promise<WatchQueue<WatcherEvent>> {
    const prefix = this.keyPrefix(namespace);
    const inNamespace: ObjectFilter =
      prefix === storagePrefix(this.resource)
        ? filter
        : (obj) => obj.metadata.namespace === namespace && filter(obj);
    const from = resourceVersion === undefined || resourceVersion === '' ? 0 : parseResourceVersion(resourceVersion);
    return this.cache.ready.then(() => this.cache.watch(from, inNamespace));
  }

  async create(namespace: string | undefined, input: KubeObject, ctx: RequestContext): Promise<KubeObject> {
    const rt = this.resource;
    const obj = input;
    const meta = obj.metadata;
    if (rt.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace ?? meta.namespace;
    } else {
      delete meta.namespace;
    }
    if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(ctx.now);
    if (rt.tracksGeneration) meta.generation = 1;
    else delete meta.generation;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (rt.subresources?.status) obj.status = {};
    rt.strategy?.defaults?.(obj);
    const attrs = this.attributes('CREATE', obj, undefined, ctx);
    await this.admission.admit(attrs);
    rt.strategy?.prepareForCreate?.(obj);
    this.validate(obj, [...validateObjectMetaForCreate(rt, obj), ...(rt.strategy?.validate?.(obj) ?? [])]);
    await this.admission.validate(attrs);
    if (!ctx.managedFieldsDone) this.trackManagedFields(undefined, obj, ctx);
    const name = meta.name as string;
    const undo = this.hooks.beforeCreate?.(obj);
    if (ctx.dryRun) {
      undo?.();
      return obj;
    }
    try {
      const rev = await this.storage(() => this.store.create(this.key(meta.namespace, name), this.encode(obj)));
      meta.resourceVersion = String(rev);
      return obj;
    } catch (err) {
      undo?.();
      if (isStorageError(err, 'KeyExists')) throw alreadyExists(this.ref(name));
      throw err;
    }
  }

  /**
   * Replaces an object (PUT), or its status (`subresource` "status"). `input` carries the
   * expected resourceVersion, if any.
   */
  async update(
    namespace: string | undefined,
    name: string,
    input: KubeObject,
    ctx: RequestContext,
    subresource?: WriteSubresource,
  ): Promise<KubeObject> {
    if (input.metadata.name !== undefined && input.metadata.name !== name) {
      throw badRequest(`the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`);
    }
    if (this.resource.namespaced && input.metadata.namespace && input.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const current = await this.get(namespace, name);
    const expected = input.metadata.resourceVersion;
    if (expected && expected !== current.metadata.resourceVersion) throw conflict(this.ref(name), OBJECT_MODIFIED);
    return this.write(current, input, ctx, subresource);
  }

  /**
   * Read-modify-write: applies `mutate` to the current object and stores the result, retrying
   * when another writer got there first (as kube-apiserver does for patches). `mutate` may
   * return an object carrying a resourceVersion, which then must match.
   */
  async guaranteedUpdate(
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    ctx: RequestContext,
    subresource?: WriteSubresource,
  ): Promise<KubeObject> {
    for (let attempt = 1; ; attempt++) {
      const kv = await this.fetch(namespace, name);
      const current = this.decode(kv.value, kv.modRevision);
      // Parsing the stored value again is the cheaper deep copy (a third of structuredClone's time).
      const updated = await mutate(this.decode(kv.value, kv.modRevision));
      const expected = updated.metadata.resourceVersion;
      if (expected && expected !== current.metadata.resourceVersion) throw conflict(this.ref(name), OBJECT_MODIFIED);
      try {
        return await this.write(current, updated, ctx, subresource);
      } catch (err) {
        const raced = err instanceof RaceLost;
        if (!raced || attempt >= MAX_ATTEMPTS) throw raced ? conflict(this.ref(name), OBJECT_MODIFIED) : err;
      }
    }
  }

  async delete(namespace: string | undefined, name: string, options: DeleteOptions, ctx: RequestContext): Promise<DeleteResult> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(namespace, name);
      try {
        return await this.deleteOnce(current, options, ctx);
      } catch (err) {
        if (!(err instanceof RaceLost) || attempt >= MAX_ATTEMPTS) {
          throw err instanceof RaceLost ? conflict(this.ref(name), OBJECT_MODIFIED) : err;
        }
      }
    }
  }

  private async deleteOnce(current: KubeObject, options: DeleteOptions, ctx: RequestContext): Promise<DeleteResult> {
    const meta = current.metadata;
    const name = meta.name as string;
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== meta.uid) {
      throw conflict(this.ref(name), `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
      throw conflict(
        this.ref(name),
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`,
      );
    }
    const attrs = this.attributes('DELETE', undefined, current, ctx);
    await this.admission.admit(attrs);
    await this.admission.validate(attrs);

    const updated = structuredClone(current);
    const umeta = updated.metadata;
    const strategy = this.resource.strategy;
    const grace = strategy?.gracePeriod?.(current, options.gracePeriodSeconds) ?? 0;
    const held = strategy?.holdsDeletion?.(current) ?? false;
    if (held) strategy?.prepareForDeletion?.(updated);
    const finalizers = new Set(umeta.finalizers ?? []);
    if (options.propagationPolicy === 'Orphan') {
      finalizers.add('orphan');
      finalizers.delete('foregroundDeletion');
    } else if (options.propagationPolicy === 'Foreground') {
      finalizers.add('foregroundDeletion');
      finalizers.delete('orphan');
    }
    if (finalizers.size === 0 && grace === 0 && !held) {
      if (ctx.dryRun) return { object: current, deleted: true };
      return { object: await this.remove(current), deleted: true };
    }
    if (finalizers.size > 0) umeta.finalizers = [...finalizers];
    if (!umeta.deletionTimestamp || (umeta.deletionGracePeriodSeconds ?? 0) > grace) {
      umeta.deletionTimestamp = rfc3339(ctx.now + grace * 1000);
      umeta.deletionGracePeriodSeconds = grace;
    }
    if (isDeepStrictEqual(updated, current)) return { object: current, deleted: false };
    if (ctx.dryRun) return { object: updated, deleted: false };
    return { object: await this.put(current, updated), deleted: false };
  }

  /** Stores `updated` in place of `current` after the update rules; a no-op write stores nothing. */
  private async write(current: KubeObject, input: KubeObject, ctx: RequestContext, subresource?: WriteSubresource): Promise<KubeObject> {
    const rt = this.resource;
    let obj: KubeObject;
    if (subresource === 'status') {
      // A status write changes only status.
      obj = structuredClone(current);
      obj.status = input.status;
    } else if (subresource === 'binding') {
      // A pod's binding sets spec.nodeName and the PodScheduled condition, nothing else.
      obj = input;
    } else if (subresource === 'finalize') {
      // A namespace's finalize write changes only spec.finalizers.
      obj = structuredClone(current);
      const spec = (obj.spec ?? {}) as Record<string, unknown>;
      spec.finalizers = (input.spec as { finalizers?: unknown } | undefined)?.finalizers ?? [];
      obj.spec = spec;
    } else {
      obj = input;
      if (rt.subresources?.status) obj.status = current.status;
    }
    const meta = obj.metadata;
    const old = current.metadata;
    meta.name = old.name;
    if (rt.namespaced) meta.namespace = old.namespace;
    else delete meta.namespace;
    meta.uid = old.uid;
    meta.creationTimestamp = old.creationTimestamp;
    meta.deletionTimestamp = old.deletionTimestamp;
    meta.deletionGracePeriodSeconds = old.deletionGracePeriodSeconds;
    if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
    if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
    meta.resourceVersion = old.resourceVersion;
    delete meta.selfLink;
    rt.strategy?.defaults?.(obj);
    const attrs = this.attributes('UPDATE', obj, current, ctx, subresource);
    await this.admission.admit(attrs);
    if (subresource === undefined) rt.strategy?.prepareForUpdate?.(obj, current);
    if (rt.tracksGeneration) meta.generation = (old.generation ?? 1) + (specChanged(obj, current) ? 1 : 0);
    else if (old.generation === undefined) delete meta.generation;
    else meta.generation = old.generation;
    const errors = [...validateObjectMetaForUpdate(rt, obj, current)];
    if (subresource === 'status') errors.push(...(rt.strategy?.validateStatusUpdate?.(obj, current) ?? []));
    else if (subresource === undefined) errors.push(...(rt.strategy?.validate?.(obj) ?? []), ...(rt.strategy?.validateUpdate?.(obj, current) ?? []));
    this.validate(obj, errors);
    await this.admission.validate(attrs);
    if (sameIgnoringManagedFields(obj, current)) return current;
    if (!ctx.managedFieldsDone) this.trackManagedFields(current, obj, ctx, subresource);
    if (ctx.dryRun) return obj;
    const held = rt.strategy?.holdsDeletion?.(obj) ?? false;
    if (meta.deletionTimestamp && (meta.finalizers ?? []).length === 0 && (meta.deletionGracePeriodSeconds ?? 0) === 0 && !held) {
      // The last finalizer is gone from an object being deleted: now it goes.
      return this.remove(current);
    }
    const undo = this.hooks.beforeUpdate?.(obj, current);
    try {
      return await this.put(current, obj);
    } catch (err) {
      undo?.();
      throw err;
    }
  }

  private async put(current: KubeObject, obj: KubeObject): Promise<KubeObject> {
    const meta = obj.metadata;
    try {
      const rev = await this.storage(() =>
        this.store.update(this.key(meta.namespace, meta.name as string), this.encode(obj), Number(current.metadata.resourceVersion)),
      );
      meta.resourceVersion = String(rev);
      return obj;
    } catch (err) {
      if (isStorageError(err, 'Conflict')) throw new RaceLost();
      if (isStorageError(err, 'NotFound')) throw notFound(this.ref(meta.name));
      throw err;
    }
  }

  private async remove(current: KubeObject): Promise<KubeObject> {
    const meta = current.metadata;
    try {
      const result = await this.storage(() =>
        this.store.delete(this.key(meta.namespace, meta.name as string), Number(meta.resourceVersion)),
      );
      const removed = this.decode(result.kv.value, result.revision);
      this.hooks.afterDelete?.(removed);
      return removed;
    } catch (err) {
      if (isStorageError(err, 'Conflict')) throw new RaceLost();
      if (isStorageError(err, 'NotFound')) throw notFound(this.ref(meta.name));
      throw err;
    }
  }

  private async listFromStorage(prefix: string, options: ListOptions): Promise<ListResult> {
    const limit = options.limit && options.limit > 0 ? options.limit : 0;
    let revision = 0;
    let continueFrom: string | undefined;
    if (options.continueToken !== undefined) {
      const token = decodeContinue(options.continueToken);
      revision = token.resourceVersion;
      continueFrom = prefix + token.start;
    } else if (options.resourceVersionMatch === 'Exact' && options.resourceVersion) {
      revision = parseResourceVersion(options.resourceVersion);
    }
    const items: KubeObject[] = [];
    // With a selector, read on until the page is full, as kube-apiserver does.
    const chunk = limit > 0 ? Math.max(limit, options.filtered ? 500 : limit) : 0;
    for (;;) {
      let page;
      try {
        page = await this.storage(() => this.store.list(prefix, { limit: chunk, continueFrom, revision }));
      } catch (err) {
        if (isStorageError(err, 'Compacted') && options.continueToken !== undefined) {
          throw expired(
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
          );
        }
        if (isStorageError(err, 'Compacted')) {
          throw expired(`too old resource version: ${revision} (${err.details.revision ?? 0})`);
        }
        throw err;
      }
      revision = page.revision;
      for (const kv of page.items) {
        const obj = this.served(kv);
        continueFrom = kv.key;
        if (!options.filter(obj)) continue;
        items.push(obj);
        if (limit > 0 && items.length === limit) {
          const more = page.more || kv !== page.items[page.items.length - 1];
          return more
            ? { items, resourceVersion: String(revision), continueToken: encodeContinue(revision, kv.key.slice(prefix.length)) }
            : { items, resourceVersion: String(revision) };
        }
      }
      if (!page.more) return { items, resourceVersion: String(revision) };
    }
  }

  /** Records the writer's ownership of what it changed in metadata.managedFields. */
  private trackManagedFields(old: KubeObject | undefined, obj: KubeObject, ctx: RequestContext, subresource?: string): void {
    const rt = this.resource;
    const entries = managedFieldsAfterWrite(old, obj, {
      manager: ctx.fieldManager,
      apiVersion: groupVersion(rt),
      kind: rt.kind,
      now: new Date(ctx.now),
      subresource,
      ignoredFields: subresource === undefined && rt.subresources?.status ? [['f:status']] : [],
    });
    if (entries.length > 0) obj.metadata.managedFields = entries;
    else delete obj.metadata.managedFields;
  }

  private attributes(
    operation: AdmissionAttributes['operation'],
    object: KubeObject | undefined,
    oldObject: KubeObject | undefined,
    ctx: RequestContext,
    subresource?: string,
  ): AdmissionAttributes {
    const meta = (object ?? oldObject)?.metadata;
    return {
      operation,
      resource: this.resource,
      subresource,
      namespace: meta?.namespace,
      name: meta?.name ?? '',
      object,
      oldObject,
      user: ctx.user,
      dryRun: ctx.dryRun,
    };
  }

  private validate(obj: KubeObject, errors: FieldError[]): void {
    if (errors.length > 0) throw invalid(this.resource, obj.metadata.name ?? '', errors);
  }

  /** Runs a storage call, translating unavailability (the other errors are the caller's). */
  private async storage<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (isStorageError(err, 'Unavailable')) throw serviceUnavailable(`storage is unavailable: ${err.message}`);
      if (isStorageError(err, 'InvalidKey') || isStorageError(err, 'InvalidValue')) throw internalError(err.message);
      throw err;
    }
  }
}

/** Subresources whose writes go through the object's own storage. */
export type WriteSubresource = 'status' | 'finalize' | 'binding';

/** The storage write lost a race; the caller reads again and retries. */
class RaceLost extends Error {}

/** A resourceVersion query parameter as a revision; 400 when it is not a number. */
export function parseResourceVersion(rv: string): number {
  const n = Number(rv);
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(n)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return n;
}

/** Whether two objects differ in nothing but managedFields (a no-op write stores nothing). */
function sameIgnoringManagedFields(a: KubeObject, b: KubeObject): boolean {
  const { managedFields: _a, ...ma } = a.metadata;
  const { managedFields: _b, ...mb } = b.metadata;
  return isDeepStrictEqual({ ...a, metadata: ma }, { ...b, metadata: mb });
}

/** True when anything besides metadata and status changed: the object's generation then goes up. */
function specChanged(obj: KubeObject, old: KubeObject): boolean {
  const { metadata: _m1, status: _s1, ...a } = obj;
  const { metadata: _m2, status: _s2, ...b } = old;
  return !isDeepStrictEqual(a, b);
}
