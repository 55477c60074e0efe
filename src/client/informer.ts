/**
 * An informer, as client-go's: lists a resource, then watches it from the list's
 * resourceVersion, keeps a local cache of the objects, and tells handlers about every add,
 * update and delete. When the watch ends it watches again from the last resourceVersion seen;
 * when that is too old (410) it lists again and reports the differences, so handlers see every
 * change at least as a final state. Cached objects are shared: handlers and readers must not
 * change them.
 */
import { isStatusError } from '../api/errors.js';
import { objectKey, type KubeObject } from '../api/object.js';
import type { ApiClient, ResourceRef } from './api_client.js';

export interface EventHandler<T extends KubeObject> {
  add?(obj: T): void;
  update?(old: T, obj: T): void;
  delete?(obj: T): void;
}

export interface InformerOptions {
  client: ApiClient;
  resource: ResourceRef;
  /** Only this namespace (all when absent). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Delay before watching again after a failure. */
  retryMs?: number;
  onError?(err: unknown): void;
}

export class Informer<T extends KubeObject = KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: EventHandler<T>[] = [];
  private resourceVersion = '';
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly options: InformerOptions) {}

  addEventHandler(handler: EventHandler<T>): void {
    this.handlers.push(handler);
    if (this.synced) for (const obj of this.cache.values()) handler.add?.(obj);
  }

  /** The cached object with this `namespace/name` (or `name`) key. */
  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list is in the cache. */
  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /**
   * Lists and watches until `signal` aborts. A shared informer is run by each of its users:
   * the first call starts it, later calls wait on that same run.
   */
  run(signal: AbortSignal): Promise<void> {
    this.running ??= this.listAndWatch(signal);
    return this.running;
  }

  private async listAndWatch(signal: AbortSignal): Promise<void> {
    const { client, resource, namespace, labelSelector, fieldSelector } = this.options;
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        const events = client.watch<T>(
          resource,
          namespace,
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: 'true', labelSelector, fieldSelector, timeoutSeconds: '300' },
          signal,
        );
        for await (const event of events) this.apply(event.type, event.object);
      } catch (err) {
        if (signal.aborted) return;
        if (isStatusError(err, 'Expired') || isStatusError(err, 'Gone')) needList = true;
        else this.options.onError?.(err);
        await new Promise((resolve) => setTimeout(resolve, this.options.retryMs ?? 1000));
      }
    }
  }

  private async relist(): Promise<void> {
    const { client, resource, namespace, labelSelector, fieldSelector } = this.options;
    const list = await client.list<T>(resource, namespace, { labelSelector, fieldSelector });
    const seen = new Set<string>();
    for (const obj of list.items) {
      const key = objectKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, obj);
      if (!old) this.notify((h) => h.add?.(obj));
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.notify((h) => h.update?.(old, obj));
    }
    for (const [key, old] of this.cache) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.notify((h) => h.delete?.(old));
    }
    this.resourceVersion = list.metadata.resourceVersion ?? '';
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private apply(type: string, obj: T): void {
    if (obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
    if (type === 'BOOKMARK') return;
    const key = objectKey(obj);
    const old = this.cache.get(key);
    if (type === 'DELETED') {
      this.cache.delete(key);
      this.notify((h) => h.delete?.(obj));
      return;
    }
    this.cache.set(key, obj);
    if (old) this.notify((h) => h.update?.(old, obj));
    else this.notify((h) => h.add?.(obj));
  }

  private notify(call: (handler: EventHandler<T>) => void): void {
    for (const handler of this.handlers) call(handler);
  }
}
