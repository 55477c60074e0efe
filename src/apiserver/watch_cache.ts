/**
 * The watch cache of one resource, as kube-apiserver's cacher: every object of the resource in
 * memory, fed by one storage watch, plus a window of recent events. Watches and lists at
 * resourceVersion "0" (what informers start with) are served from here, so a thousand watchers
 * cost one storage watch. Only the API server's handlers use it.
 *
 * If the storage watch ends (compaction, a slow consumer, the backend restarting), the cache
 * lists again and every watch it serves ends, so that clients re-list or re-watch, as they do
 * against Kubernetes.
 */
import type { Logger } from 'pino';
import type { KubeObject } from '../api/object.js';
import { expired } from '../api/errors.js';
import type { Store, WatchEvent as StorageEvent } from '../storage/store.js';
import { WatchQueue } from '../storage/watch_queue.js';
import { decodeStored } from './stored_object.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change of one object, as the cache saw it. */
export interface CacheEvent {
  type: WatchEventType;
  revision: number;
  key: string;
  /** The new state; for DELETED, the last state with the delete's resourceVersion. */
  object: KubeObject;
  /** The state before, for MODIFIED and DELETED. */
  prevObject?: KubeObject;
}

/** What a watcher sees: an event already translated for its selector. */
export interface WatcherEvent {
  type: WatchEventType;
  revision: number;
  object: KubeObject;
}

/** Decides whether an object is in a watcher's or list's view. */
export type ObjectFilter = (obj: KubeObject) => boolean;

export interface WatchCacheOptions {
  store: Store;
  /** Storage key prefix of the resource: `/registry/pods/`. */
  prefix: string;
  /** Turns a stored value into the object served (decodeStored, plus version conversion). */
  decode?: (value: string, revision: number) => KubeObject;
  /** Recent events kept for watches that resume from a resourceVersion. */
  historySize?: number;
  /** Undelivered events a watcher may buffer before it is dropped. */
  maxWatcherBuffer?: number;
  logger?: Logger;
}

const DEFAULT_HISTORY = 10_000;
const DEFAULT_WATCHER_BUFFER = 10_000;
const LIST_PAGE = 10_000;

interface Watcher {
  queue: WatchQueue<WatcherEvent>;
  filter: ObjectFilter;
  /** Events at or below this revision were already sent (the watch started after them). */
  after: number;
}

export class WatchCache {
  readonly prefix: string;
  private readonly store: Store;
  private readonly historySize: number;
  private readonly maxWatcherBuffer: number;
  private readonly logger: Logger | undefined;
  private readonly decode: (value: string, revision: number) => KubeObject;
  private readonly objects = new Map<string, KubeObject>();
  /** Ring of recent events, oldest first from `historyStart`. */
  private history: CacheEvent[] = [];
  /** Events after this revision are all in `history`. */
  private historyFloor = 0;
  private rev = 0;
  private readonly watchers = new Set<Watcher>();
  private storageWatch: { stop(): void } | undefined;
  private stopped = false;
  private readyPromise: Promise<void>;
  private resolveReady!: () => void;
  private waiters: { rev: number; resolve: () => void }[] = [];

  constructor(options: WatchCacheOptions) {
    this.store = options.store;
    this.prefix = options.prefix;
    this.historySize = options.historySize ?? DEFAULT_HISTORY;
    this.maxWatcherBuffer = options.maxWatcherBuffer ?? DEFAULT_WATCHER_BUFFER;
    this.logger = options.logger;
    this.decode = options.decode ?? decodeStored;
    this.readyPromise = new Promise((resolve) => (this.resolveReady = resolve));
  }

  /** The revision the cache is current to. */
  get revision(): number {
    return this.rev;
  }

  /** Resolves once the first list is loaded. */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  /** Loads the resource and follows its changes until stop(). */
  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.storageWatch?.stop();
    this.endWatchers();
  }

  /** Resolves when the cache has seen revision `rev`, or after `timeoutMs` with false. */
  async waitFor(rev: number, timeoutMs: number): Promise<boolean> {
    await this.readyPromise;
    if (this.rev >= rev) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      const waiter = {
        rev,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** The cached object at `key`. Callers must not change it. */
  get(key: string): KubeObject | undefined {
    return this.objects.get(key);
  }

  /** Cached objects under `keyPrefix` that pass `filter`, in key order. Callers must not change them. */
  list(keyPrefix: string, filter: ObjectFilter): KubeObject[] {
    const keys: string[] = [];
    for (const key of this.objects.keys()) if (key.startsWith(keyPrefix)) keys.push(key);
    keys.sort();
    const items: KubeObject[] = [];
    for (const key of keys) {
      const obj = this.objects.get(key) as KubeObject;
      if (filter(obj)) items.push(obj);
    }
    return items;
  }

  /**
   * Watches the objects passing `filter`. From revision 0: first an ADDED event for every
   * current object, then changes. From revision N: every change after N, or 410 Expired when
   * N is older than the cache's window.
   */
  watch(fromRevision: number, filter: ObjectFilter): WatchQueue<WatcherEvent> {
    if (fromRevision > 0 && fromRevision < this.historyFloor) {
      throw expired(`too old resource version: ${fromRevision} (${this.historyFloor})`);
    }
    const watcher: Watcher = {
      queue: new WatchQueue<WatcherEvent>({
        prefix: this.prefix,
        afterRevision: fromRevision,
        // Room for the initial ADDED events on top of the usual allowance.
        maxBuffered: this.maxWatcherBuffer + (fromRevision === 0 ? this.objects.size : 0),
        onEnd: () => this.watchers.delete(watcher),
      }),
      filter,
      after: fromRevision,
    };
    if (fromRevision === 0) {
      for (const [, obj] of [...this.objects].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (filter(obj)) watcher.queue.push({ type: 'ADDED', revision: revisionOf(obj), object: obj });
      }
      watcher.after = this.rev;
    } else {
      for (const event of this.history) if (event.revision > fromRevision) this.send(watcher, event);
      watcher.after = Math.max(fromRevision, this.rev);
    }
    this.watchers.add(watcher);
    return watcher.queue;
  }

  /** Number of live watchers (metrics, tests). */
  get watcherCount(): number {
    return this.watchers.size;
  }

  private async run(): Promise<void> {
    let backoff = 100;
    while (!this.stopped) {
      try {
        await this.listAndWatch();
        backoff = 100;
      } catch (err) {
        if (this.stopped) return;
        this.logger?.warn({ err, prefix: this.prefix }, `watch cache for ${this.prefix} restarting: ${(err as Error).message}`);
        this.endWatchers();
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  private async listAndWatch(): Promise<void> {
    const fresh = new Map<string, KubeObject>();
    let page = await this.store.list(this.prefix, { limit: LIST_PAGE });
    const revision = page.revision;
    for (;;) {
      for (const kv of page.items) fresh.set(kv.key, this.decode(kv.value, kv.modRevision));
      if (!page.more) break;
      const last = page.items[page.items.length - 1]?.key;
      page = await this.store.list(this.prefix, { limit: LIST_PAGE, continueFrom: last, revision });
    }
    if (this.stopped) return;
    this.objects.clear();
    for (const [key, obj] of fresh) this.objects.set(key, obj);
    this.history = [];
    this.historyFloor = revision;
    this.advance(revision);
    this.resolveReady();
    const watch = this.store.watch(this.prefix, revision);
    this.storageWatch = watch;
    for await (const event of watch) this.apply(event);
    if (!this.stopped) throw new Error('storage watch ended');
  }

  private apply(event: StorageEvent): void {
    const prev = this.objects.get(event.key);
    let cacheEvent: CacheEvent;
    if (event.type === 'delete') {
      const last = prev ?? this.decode(event.kv.value, event.kv.modRevision);
      const object = withResourceVersion(last, event.revision);
      this.objects.delete(event.key);
      cacheEvent = { type: 'DELETED', revision: event.revision, key: event.key, object, prevObject: last };
    } else {
      const object = this.decode(event.kv.value, event.revision);
      this.objects.set(event.key, object);
      cacheEvent = prev
        ? { type: 'MODIFIED', revision: event.revision, key: event.key, object, prevObject: prev }
        : { type: 'ADDED', revision: event.revision, key: event.key, object };
    }
    this.history.push(cacheEvent);
    if (this.history.length > this.historySize) {
      const dropped = this.history.splice(0, this.history.length - this.historySize);
      this.historyFloor = (dropped[dropped.length - 1] as CacheEvent).revision;
    }
    for (const watcher of this.watchers) this.send(watcher, cacheEvent);
    this.advance(event.revision);
  }

  /** Translates an event for a watcher's filter: entering the view is ADDED, leaving it DELETED. */
  private send(watcher: Watcher, event: CacheEvent): void {
    if (event.revision <= watcher.after) return;
    const now = event.type !== 'DELETED' && watcher.filter(event.object);
    const before = event.prevObject !== undefined && watcher.filter(event.prevObject);
    let type: WatchEventType;
    if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    else return;
    const object =
      type === 'DELETED' && event.type !== 'DELETED'
        ? withResourceVersion(event.prevObject as KubeObject, event.revision)
        : event.object;
    watcher.queue.push({ type, revision: event.revision, object });
  }

  private advance(revision: number): void {
    if (revision > this.rev) this.rev = revision;
    if (this.waiters.length === 0) return;
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (waiter.rev <= this.rev) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  private endWatchers(): void {
    for (const watcher of [...this.watchers]) watcher.queue.finish();
    this.watchers.clear();
  }
}

export function revisionOf(obj: KubeObject): number {
  return Number(obj.metadata.resourceVersion ?? 0);
}

function withResourceVersion(obj: KubeObject, revision: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } };
}
