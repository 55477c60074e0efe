/**
 * A metadata-only informer for controllers that follow every resource (the garbage
 * collector): lists and watches one resource like client/informer.ts, but keeps only the few
 * metadata fields it is given to keep, so that memory grows with the number of objects, not
 * with their size. Handlers see the same trimmed views, which they must not change.
 */
import { isStatusError } from '../api/errors.js';
import { objectKey, type KubeObject } from '../api/object.js';
import type { ApiClient, ResourceRef } from '../client/api_client.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';

/** What the garbage collector needs to know of an object. */
export interface ObjectMetadata {
  readonly namespace?: string;
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly ownerReferences: readonly OwnerReference[];
  readonly finalizers: readonly string[];
  readonly deleting: boolean;
}

export interface MetadataHandler {
  upsert(ref: ResourceRef, meta: ObjectMetadata, old: ObjectMetadata | undefined): void;
  remove(ref: ResourceRef, meta: ObjectMetadata): void;
}

/** The trimmed view of one object. */
export function trimMetadata(obj: KubeObject): ObjectMetadata {
  const m = obj.metadata;
  return {
    namespace: m.namespace,
    name: m.name ?? '',
    uid: m.uid ?? '',
    resourceVersion: m.resourceVersion ?? '',
    ownerReferences: m.ownerReferences ?? [],
    finalizers: m.finalizers ?? [],
    deleting: m.deletionTimestamp !== undefined,
  };
}

export class MetadataInformer {
  private readonly cache = new Map<string, ObjectMetadata>();
  private resourceVersion = '';
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];

  constructor(
    readonly resource: ResourceRef,
    private readonly client: ApiClient,
    private readonly handler: MetadataHandler,
    private readonly onError: (err: unknown) => void,
    private readonly retryMs = 1000,
  ) {}

  /** Every cached object; used when the resource stops being served. */
  list(): ObjectMetadata[] {
    return [...this.cache.values()];
  }

  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Lists and watches until `signal` aborts; a 410 leads to a fresh list. */
  async run(signal: AbortSignal): Promise<void> {
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        const query = { resourceVersion: this.resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: '300' };
        for await (const event of this.client.watch(this.resource, undefined, query, signal)) {
          if (event.object.metadata?.resourceVersion) this.resourceVersion = event.object.metadata.resourceVersion;
          if (event.type === 'BOOKMARK') continue;
          if (event.type === 'DELETED') this.drop(objectKey(event.object));
          else this.store(trimMetadata(event.object));
        }
      } catch (err) {
        if (signal.aborted) return;
        if (isStatusError(err, 'Expired') || isStatusError(err, 'Gone')) needList = true;
        else this.onError(err);
        await new Promise((resolve) => setTimeout(resolve, this.retryMs));
      }
    }
  }

  /**
   * Lists once and reports the differences from the cache; the first call marks the cache
   * synced.
   */
  private async relist(): Promise<void> {
    // "0": any recent state will do, so the server answers from its watch cache.
    const list = await this.client.list(this.resource, undefined, { resourceVersion: '0' });
    const seen = new Set<string>();
    for (const obj of list.items) {
      seen.add(objectKey(obj));
      this.store(trimMetadata(obj));
    }
    for (const key of [...this.cache.keys()]) if (!seen.has(key)) this.drop(key);
    this.resourceVersion = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private store(meta: ObjectMetadata): void {
    const key = meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
    const old = this.cache.get(key);
    if (old && old.resourceVersion === meta.resourceVersion) return;
    this.cache.set(key, meta);
    // The same name with a new uid is a delete and an add.
    if (old && old.uid !== meta.uid) {
      this.handler.remove(this.resource, old);
      this.handler.upsert(this.resource, meta, undefined);
    } else this.handler.upsert(this.resource, meta, old);
  }

  private drop(key: string): void {
    const old = this.cache.get(key);
    if (!old) return;
    this.cache.delete(key);
    this.handler.remove(this.resource, old);
  }
}
