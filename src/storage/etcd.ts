/**
 * The etcd backend of the storage contract (store.ts), for clusters and HA: etcd v3.4+ over
 * gRPC. Writes are etcd transactions guarded on create_revision / mod_revision, so etcd's
 * revision is the store's revision and Kubernetes' resourceVersion semantics hold unchanged.
 * Watches on one prefix share one etcd watch, fanned out in memory, and all etcd watches share
 * one gRPC Watch stream that resumes by itself (etcd/watch_hub.ts).
 *
 * Only src/apiserver (through the Store interface) and the `kts` command that builds it use this.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  checkKey,
  checkPrefix,
  checkValue,
  isStorageError,
  prefixEnd,
  REGISTRY_PREFIX,
  StorageError,
  type DeleteResult,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type Watch,
} from './store.js';
import { EtcdConnection, type EtcdLogger, type EtcdTlsFiles } from './etcd/connection.js';
import { toKeyValue } from './etcd/key_value.js';
import { kvMethods, maintenanceMethods } from './etcd/kv_codec.js';
import type { CompareMsg, RangeRequestMsg, RangeResponseMsg, TxnRequestMsg, TxnResponseMsg } from './etcd/proto.js';
import { WatchQueue } from './watch_queue.js';
import { DEFAULT_WATCH_RING_SIZE, WatchHub } from './etcd/watch_hub.js';

export type { EtcdLogger, EtcdTlsFiles } from './etcd/connection.js';

export interface EtcdStoreOptions {
  /**
   * Client URLs of the etcd members, `http://127.0.0.1:2379` or `https://...` (no port: 2379);
   * calls fail over between them.
   */
  endpoints: string[];
  /** Files for https endpoints (CA, and client certificate and key for --client-cert-auth). */
  tls?: EtcdTlsFiles;
  /** Deadline of each call; past it the call fails with Unavailable. Default 5000. */
  callTimeoutMs?: number;
  /** Most events a watch buffers for a slow consumer before it ends with WatcherTooSlow. Default 10000. */
  maxWatchBuffer?: number;
  /** Default: the console. */
  logger?: EtcdLogger;
  /** Stops `open` from waiting for etcd. */
  signal?: AbortSignal;
}

const CONNECT_RETRY_INITIAL_MS = 200;
const CONNECT_RETRY_MAX_MS = 5_000;

export class EtcdStore implements Store {
  /**
   * Connects to etcd, waiting (with back-off, logging each failure) until it answers, or until
   * `options.signal` aborts; then the promise rejects with Unavailable.
   */
  static async open(options: EtcdStoreOptions): Promise<EtcdStore> {
    const store = new EtcdStore(options);
    const logger = options.logger ?? console;
    for (let attempt = 0; ; attempt++) {
      try {
        await store.currentRevision();
        if (attempt > 0) logger.info(`etcd at ${store.endpointList} answered`);
        return store;
      } catch (err) {
        const delay = Math.min(CONNECT_RETRY_MAX_MS, CONNECT_RETRY_INITIAL_MS * 2 ** attempt);
        logger.warn(`waiting for etcd: ${(err as Error).message}; retrying in ${delay}ms`);
        try {
          await sleep(delay, undefined, { signal: options.signal });
        } catch {
          await store.close();
          throw new StorageError('Unavailable', `gave up waiting for etcd at ${store.endpointList}: ${(err as Error).message}`, {
            cause: err,
          });
        }
      }
    }
  }

  private readonly connection: EtcdConnection;
  private readonly hub: WatchHub;
  private readonly maxWatchBuffer: number;
  private readonly callTimeoutMs: number;
  /**
   * The newest compaction revision this store knows of: one it made, or one etcd reported.
   * etcd offers no call that returns it, so compactRevision() checks it and searches on when
   * another client compacted further.
   */
  private knownCompactRevision = 0;

  private constructor(options: EtcdStoreOptions) {
    const { endpoints, callTimeoutMs = 5_000, maxWatchBuffer = 10_000 } = options;
    if (endpoints.length === 0) throw new Error('EtcdStore: endpoints must name at least one etcd client URL');
    for (const endpoint of endpoints) {
      let protocol: string;
      try {
        protocol = new URL(endpoint).protocol;
      } catch {
        throw new Error(`EtcdStore: endpoint ${JSON.stringify(endpoint)} is not a URL`);
      }
      if (protocol !== 'http:' && protocol !== 'https:') {
        throw new Error(`EtcdStore: endpoint ${endpoint} must be http:// or https://`);
      }
    }
    if (!(callTimeoutMs > 0)) throw new Error(`EtcdStore: callTimeoutMs must be positive, not ${callTimeoutMs}`);
    if (!(maxWatchBuffer > 0)) throw new Error(`EtcdStore: maxWatchBuffer must be positive, not ${maxWatchBuffer}`);
    this.maxWatchBuffer = maxWatchBuffer;
    this.callTimeoutMs = callTimeoutMs;
    this.connection = new EtcdConnection(endpoints, options.tls, callTimeoutMs);
    // A joining watch is replayed up to a ring's worth of events at once; keep that within
    // what its buffer takes.
    this.hub = new WatchHub(this.connection, options.logger ?? console, Math.min(DEFAULT_WATCH_RING_SIZE, maxWatchBuffer));
  }

  private get endpointList(): string {
    return this.connection.endpoints.join(',');
  }

  async get(key: string): Promise<KeyValue | undefined> {
    checkKey(key);
    const response = await this.range({ key: Buffer.from(key) });
    const kv = response.kvs[0];
    return kv && toKeyValue(kv);
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    checkPrefix(prefix);
    const { continueFrom } = options;
    // As in etcd, a limit or revision of 0 or less means none.
    const limit = Math.max(0, Math.floor(options.limit ?? 0));
    const revision = Math.max(0, Math.floor(options.revision ?? 0));
    let start = Buffer.from(prefix);
    if (continueFrom !== undefined) {
      // The smallest key after continueFrom is continueFrom followed by a NUL byte.
      const after = Buffer.concat([Buffer.from(continueFrom), Buffer.of(0)]);
      if (Buffer.compare(after, start) > 0) start = after;
    }
    const end = Buffer.from(prefixEnd(prefix));
    try {
      const response = await this.range({ key: start, rangeEnd: end, limit, revision });
      return {
        items: response.kvs.map(toKeyValue),
        revision: revision || response.header.revision,
        more: response.more,
      };
    } catch (err) {
      if (isStorageError(err, 'Compacted')) {
        const compacted = await this.compactRevision().catch(() => undefined);
        throw new StorageError('Compacted', `list ${prefix} at revision ${revision}: that revision has been compacted`, {
          revision: compacted,
          cause: err,
        });
      }
      if (isStorageError(err, 'InvalidRevision')) {
        throw new StorageError('InvalidRevision', `list ${prefix} at revision ${revision}: that revision is in the future`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  async count(prefix: string): Promise<number> {
    checkPrefix(prefix);
    const response = await this.range({ key: Buffer.from(prefix), rangeEnd: Buffer.from(prefixEnd(prefix)), countOnly: true });
    return response.count;
  }

  async create(key: string, value: string): Promise<number> {
    checkKey(key);
    checkValue(key, value);
    const k = Buffer.from(key);
    const response = await this.txn({
      compare: [{ target: 'CREATE', result: 'EQUAL', key: k, createRevision: 0 }],
      success: [{ requestPut: { key: k, value: Buffer.from(value) } }],
      failure: [],
    });
    if (!response.succeeded) throw new StorageError('KeyExists', `key ${key} already exists`, { key });
    return response.header.revision;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<number> {
    checkKey(key);
    checkValue(key, value);
    const k = Buffer.from(key);
    const response = await this.txn({
      compare: guards(k, expectedModRevision),
      success: [{ requestPut: { key: k, value: Buffer.from(value) } }],
      failure: [{ requestRange: { key: k } }],
    });
    if (!response.succeeded) throw mismatch('update', key, expectedModRevision, response);
    return response.header.revision;
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    checkKey(key);
    const k = Buffer.from(key);
    const response = await this.txn({
      compare: guards(k, expectedModRevision),
      success: [{ requestDeleteRange: { key: k, prevKv: true } }],
      failure: [{ requestRange: { key: k } }],
    });
    if (!response.succeeded) throw mismatch('delete', key, expectedModRevision, response);
    const removed = response.responses[0]?.responseDeleteRange?.prevKvs[0];
    // The guards held, so the key existed and this transaction removed it.
    if (!removed) throw this.connection.unavailable(`delete ${key}: etcd returned no previous entry`);
    return { kv: toKeyValue(removed), revision: response.header.revision };
  }

  watch(prefix: string, afterRevision: number): Watch {
    checkPrefix(prefix);
    // "From now" is after the newest revision this store has seen (open() saw one): then a
    // write this process makes after watch() returns is seen, and one it saw acknowledged is
    // not. Leaving etcd's start_revision unset instead would start wherever etcd happens to be
    // when the create request arrives, racing with those writes. If that revision has been
    // compacted meanwhile (this store idle while others write and compact), the watch ends
    // with Compacted, as any watch from a compacted revision does.
    const after = afterRevision > 0 ? afterRevision : this.connection.observedRevision;
    const watch: WatchQueue = new WatchQueue({
      prefix,
      afterRevision: after,
      maxBuffered: this.maxWatchBuffer,
      onEnd: () => this.hub.remove(watch),
    });
    this.hub.add(watch);
    return watch;
  }

  /** Number of etcd watches open for this store's watches (one per shared prefix, typically). */
  get etcdWatchCount(): number {
    return this.hub.sharedWatchCount;
  }

  async compact(revision: number): Promise<void> {
    if (revision <= this.knownCompactRevision) return;
    try {
      // physical: false, as Kubernetes does: etcd stops serving the old revisions at once and
      // frees the space in the background.
      await this.connection.unary(kvMethods.Compact, { revision }, true);
    } catch (err) {
      // Another client compacted at or past this revision already: the goal is reached.
      if (!isStorageError(err, 'Compacted')) {
        if (isStorageError(err, 'InvalidRevision')) {
          throw new StorageError('InvalidRevision', `compact: revision ${revision} is in the future`, { cause: err });
        }
        throw err;
      }
    }
    this.knownCompactRevision = Math.max(this.knownCompactRevision, revision);
  }

  /**
   * Each member's database file size and the bytes of data in it. The file never shrinks by
   * itself: compaction frees pages inside it for reuse, and only defragment() returns them.
   */
  async databaseSizes(): Promise<{ endpoint: string; size: number; inUse: number }[]> {
    const answers = await this.connection.unaryEvery(maintenanceMethods.Status, {}, this.callTimeoutMs);
    return answers.map(({ endpoint, response }) => ({ endpoint, size: response.dbSize, inUse: response.dbSizeInUse }));
  }

  /**
   * Rewrites each member's database file without its free pages, one member at a time, as
   * `etcdctl defrag` does. A member serves nothing while it defragments (about a second per
   * 100 MiB of data), so this is for rare use when databaseSizes() shows a file mostly free:
   * an operator's command or a compactor's occasional step, never the write path.
   */
  async defragment(timeoutMs = 120_000): Promise<void> {
    await this.connection.unaryEvery(maintenanceMethods.Defragment, {}, timeoutMs);
  }

  async currentRevision(): Promise<number> {
    const response = await this.range({ key: Buffer.from(REGISTRY_PREFIX), countOnly: true });
    return response.header.revision;
  }

  /**
   * etcd has no call that returns its compaction revision, but a read at a revision fails
   * exactly when that revision is older than it. So: confirm the known one with one read, and
   * when someone else compacted further, binary-search (time ~ log2 of the revision).
   */
  async compactRevision(): Promise<number> {
    const known = this.knownCompactRevision;
    if (await this.readableAt(Math.max(known, 1))) return known;
    let unreadable = Math.max(known, 1);
    let readable = await this.currentRevision();
    while (readable - unreadable > 1) {
      const middle = Math.floor((unreadable + readable) / 2);
      if (await this.readableAt(middle)) readable = middle;
      else unreadable = middle;
    }
    this.knownCompactRevision = Math.max(this.knownCompactRevision, readable);
    return this.knownCompactRevision;
  }

  async close(): Promise<void> {
    this.hub.close();
    this.connection.close();
    return Promise.resolve();
  }

  private async readableAt(revision: number): Promise<boolean> {
    try {
      await this.range({ key: Buffer.from(REGISTRY_PREFIX), countOnly: true, revision });
      return true;
    } catch (err) {
      if (isStorageError(err, 'Compacted')) return false;
      throw err;
    }
  }

  private range(request: RangeRequestMsg): Promise<RangeResponseMsg> {
    return this.connection.unary(kvMethods.Range, request, true);
  }

  private txn(request: TxnRequestMsg): Promise<TxnResponseMsg> {
    return this.connection.unary(kvMethods.Txn, request, false);
  }
}

/**
 * The conditions of a guarded write: the key exists (an absent key's mod_revision is 0, which
 * would otherwise match an expected 0) and, when given, was last written at `expected`.
 */
function guards(key: Buffer, expected: number | undefined): CompareMsg[] {
  const exists: CompareMsg = { target: 'CREATE', result: 'GREATER', key, createRevision: 0 };
  return expected === undefined ? [exists] : [exists, { target: 'MOD', result: 'EQUAL', key, modRevision: expected }];
}

/** Why a guarded write's transaction failed, from the key's entry its failure branch read. */
function mismatch(verb: string, key: string, expected: number | undefined, response: TxnResponseMsg): StorageError {
  const current = response.responses[0]?.responseRange?.kvs[0];
  if (!current) return new StorageError('NotFound', `${verb} ${key}: key not found`, { key });
  return new StorageError(
    'Conflict',
    `${verb} ${key}: expected modRevision ${expected}, but the key was last written at ${current.modRevision}`,
    { key, current: toKeyValue(current) },
  );
}
