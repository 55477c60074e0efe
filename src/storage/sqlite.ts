/**
 * The sqlite backend, kts's zero-set-up default: the whole store in one file of the data dir.
 *
 * - Writes are queued and committed in batches, one transaction per batch (group commit). The
 *   WAL is then synced off the event loop (an fsync takes milliseconds that the loop would
 *   otherwise spend blocked), one sync for every batch committed meanwhile; a write is
 *   acknowledged, and its watch event published, only after the sync: once it is durable.
 * - The revision counter lives in memory and is the log's max(rev): this process is the only
 *   writer (the file is locked exclusively), so revisions have no holes and no duplicates.
 * - Watches are fed from the commit path through WatchHub; history replays read the log once,
 *   synchronously, so no write can fall between the replay and the live stream.
 * - Background compaction (sqlite_compaction.ts) bounds the history, and with it the file.
 */
import fs from 'node:fs';
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { openDatabase, type SqliteDatabase } from './sqlite_database.js';
import { SqliteCompactor, type CompactionPolicy } from './sqlite_compaction.js';
import { WatchHub } from './watch_hub.js';
import { WatchQueue } from './watch_queue.js';
import {
  StorageError,
  checkKey,
  checkPrefix,
  checkValue,
  prefixEnd,
  type DeleteResult,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Store,
  type Watch,
  type WatchEvent,
} from './store.js';

export interface SqliteStoreOptions {
  /** The database file; created with its directory when missing. */
  path: string;
  /** History retention; see CompactionPolicy for the defaults. */
  compaction?: Partial<CompactionPolicy>;
  /** Undelivered events a watch may buffer before it is dropped as too slow. */
  maxWatchBuffer?: number;
  /** Most writes committed in one transaction. */
  maxBatch?: number;
  logger?: Logger;
  /** Injected for tests of time-based retention. */
  now?: () => number;
}

interface LogRow {
  rev: number;
  key: string;
  created_rev: number;
  deleted: number;
  value: string;
}

interface ReplayRow extends LogRow {
  p_rev: number | null;
  p_created_rev: number | null;
  p_value: string | null;
}

type WriteOp =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'update'; key: string; value: string; expected: number }
  | { kind: 'delete'; key: string; expected: number | undefined };

type Outcome = number | DeleteResult | StorageError;

interface QueuedWrite {
  op: WriteOp;
  resolve: (result: number | DeleteResult) => void;
  reject: (err: unknown) => void;
}

/** A committed batch waiting for the WAL sync before it is acknowledged. */
interface CommittedBatch {
  batch: QueuedWrite[];
  outcomes: Outcome[];
  events: WatchEvent[];
}

const DEFAULT_MAX_BATCH = 1000;

export class SqliteStore implements Store {
  readonly path: string;
  private readonly db: SqliteDatabase;
  private readonly hub = new WatchHub();
  private readonly compactor: SqliteCompactor;
  private readonly maxWatchBuffer: number | undefined;
  private readonly maxBatch: number;
  private rev: number;
  private readonly commitBatch: (batch: QueuedWrite[], outcomes: Outcome[], events: WatchEvent[]) => void;
  private pending: QueuedWrite[] = [];
  private flushScheduled = false;
  private closed = false;
  /** Committed batches, in commit order, waiting for the running (or next) WAL sync. */
  private unsynced: CommittedBatch[] = [];
  /** The running sync loop, if any. */
  private syncing: Promise<void> | undefined;
  /** The WAL file, opened at the first sync (sqlite creates it at the first commit). */
  private wal: fs.promises.FileHandle | undefined;
  /** Set when a WAL sync failed: nothing written since can be trusted to be durable. */
  private syncFailure: StorageError | undefined;

  private readonly stmt: {
    latest: Database.Statement<[string], LogRow>;
    insert: Database.Statement<[number, string, number, number, number, string]>;
    listFrom: Database.Statement<[string, string, number, number, number], LogRow>;
    listAfter: Database.Statement<[string, string, number, number, number], LogRow>;
    count: Database.Statement<[string, string], number>;
    replay: Database.Statement<[number, string, string], ReplayRow>;
  };

  /** Opens (or creates) the database; throws DatabaseOpenError with a clear message. */
  static open(options: SqliteStoreOptions): SqliteStore {
    return new SqliteStore(options);
  }

  private constructor(options: SqliteStoreOptions) {
    this.path = options.path;
    this.maxWatchBuffer = options.maxWatchBuffer;
    this.maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    this.db = openDatabase(options.path);
    const visible = `l.key >= ? AND l.key < ? AND l.rev <= ? AND l.deleted = 0
      AND NOT EXISTS (SELECT 1 FROM kv_log n WHERE n.key = l.key AND n.rev > l.rev AND n.rev <= ?)`;
    this.stmt = {
      latest: this.db.prepare(
        'SELECT rev, key, created_rev, deleted, value FROM kv_log WHERE key = ? ORDER BY rev DESC LIMIT 1',
      ),
      insert: this.db.prepare(
        'INSERT INTO kv_log (rev, key, created_rev, prev_rev, deleted, value) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      listFrom: this.db.prepare(
        `SELECT l.rev, l.key, l.created_rev, l.deleted, l.value FROM kv_log l WHERE ${visible} ORDER BY l.key LIMIT ?`,
      ),
      // Paging: the range starts strictly after the previous page's last key.
      listAfter: this.db.prepare(
        `SELECT l.rev, l.key, l.created_rev, l.deleted, l.value FROM kv_log l
         WHERE ${visible.replace('l.key >= ?', 'l.key > ?')} ORDER BY l.key LIMIT ?`,
      ),
      count: this.db
        .prepare<[string, string], number>(
          `SELECT count(*) FROM kv_log l WHERE l.key >= ? AND l.key < ? AND l.deleted = 0
           AND NOT EXISTS (SELECT 1 FROM kv_log n WHERE n.key = l.key AND n.rev > l.rev)`,
        )
        .pluck(),
      replay: this.db.prepare(
        `SELECT l.rev, l.key, l.created_rev, l.deleted, l.value,
                p.rev AS p_rev, p.created_rev AS p_created_rev, p.value AS p_value
         FROM kv_log l LEFT JOIN kv_log p ON p.rev = l.prev_rev
         WHERE l.rev > ? AND l.key >= ? AND l.key < ? ORDER BY l.rev`,
      ),
    };
    const transaction = this.db.transaction((batch: QueuedWrite[], outcomes: Outcome[], events: WatchEvent[]) => {
      for (const write of batch) outcomes.push(this.apply(write.op, events));
    });
    this.commitBatch = (batch, outcomes, events) => transaction.immediate(batch, outcomes, events);
    const maxRev = this.db.prepare('SELECT coalesce(max(rev), 0) FROM kv_log').pluck().get() as number;
    this.compactor = new SqliteCompactor({
      db: this.db,
      policy: options.compaction,
      logger: options.logger,
      now: options.now,
      currentRevision: () => this.rev,
    });
    this.rev = Math.max(maxRev, this.compactor.compactRevision);
    this.compactor.start();
  }

  get(key: string): Promise<KeyValue | undefined> {
    try {
      checkKey(key);
      this.checkOpen();
      const row = this.stmt.latest.get(key);
      return Promise.resolve(row && !row.deleted ? toKeyValue(row) : undefined);
    } catch (err) {
      return Promise.reject(this.asStorageError(err));
    }
  }

  list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    try {
      checkPrefix(prefix);
      this.checkOpen();
      const revision = this.readRevision(options.revision);
      const limit = options.limit && options.limit > 0 ? options.limit : -1;
      const end = prefixEnd(prefix);
      // One row more than asked tells whether another page exists.
      const fetch = limit > 0 ? limit + 1 : -1;
      const rows =
        options.continueFrom !== undefined && options.continueFrom >= prefix
          ? this.stmt.listAfter.all(options.continueFrom, end, revision, revision, fetch)
          : this.stmt.listFrom.all(prefix, end, revision, revision, fetch);
      const more = limit > 0 && rows.length > limit;
      if (more) rows.length = limit;
      return Promise.resolve({ items: rows.map(toKeyValue), revision, more });
    } catch (err) {
      return Promise.reject(this.asStorageError(err));
    }
  }

  count(prefix: string): Promise<number> {
    try {
      checkPrefix(prefix);
      this.checkOpen();
      return Promise.resolve(this.stmt.count.get(prefix, prefixEnd(prefix)) ?? 0);
    } catch (err) {
      return Promise.reject(this.asStorageError(err));
    }
  }

  create(key: string, value: string): Promise<number> {
    return this.enqueue({ kind: 'create', key, value }) as Promise<number>;
  }

  update(key: string, value: string, expectedModRevision: number): Promise<number> {
    return this.enqueue({ kind: 'update', key, value, expected: expectedModRevision }) as Promise<number>;
  }

  delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    return this.enqueue({ kind: 'delete', key, expected: expectedModRevision }) as Promise<DeleteResult>;
  }

  watch(prefix: string, afterRevision: number): Watch {
    checkPrefix(prefix);
    const start = afterRevision > 0 ? afterRevision : this.rev;
    const queue = new WatchQueue({
      prefix,
      afterRevision: start,
      maxBuffered: this.maxWatchBuffer,
      onEnd: () => this.hub.remove(queue),
    });
    if (this.closed) {
      queue.finish(new StorageError('Unavailable', `the store ${this.path} is closed`));
      return queue;
    }
    // Events after `start` must still be in the log: those at or after the compaction revision.
    const compactRev = this.compactor.compactRevision;
    if (start + 1 < compactRev) {
      queue.finish(
        new StorageError(
          'Compacted',
          `watch from revision ${afterRevision}: history before revision ${compactRev} has been compacted`,
          { revision: compactRev },
        ),
      );
      return queue;
    }
    // Replay and subscribe in one synchronous step: no commit can run in between, so the
    // watch sees every event after `start` exactly once.
    if (start < this.rev) {
      for (const row of this.stmt.replay.iterate(start, prefix, prefixEnd(prefix))) {
        queue.push(replayEvent(row));
        if (queue.done) return queue;
      }
    }
    this.hub.add(queue);
    return queue;
  }

  compact(revision: number): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError('Unavailable', `the store ${this.path} is closed`));
    if (!Number.isSafeInteger(revision) || revision < 0 || revision > this.rev) {
      return Promise.reject(
        new StorageError('InvalidRevision', `cannot compact to revision ${revision}: the current revision is ${this.rev}`),
      );
    }
    return this.compactor.compact(revision);
  }

  currentRevision(): Promise<number> {
    return Promise.resolve(this.rev);
  }

  compactRevision(): Promise<number> {
    return Promise.resolve(this.compactor.compactRevision);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.pending.length > 0) this.flush();
    this.closed = true;
    await this.syncing;
    await this.wal?.close();
    await this.compactor.stop();
    this.hub.closeAll();
    this.db.close();
  }

  /** Number of live watches (for metrics and tests). */
  get watchCount(): number {
    return this.hub.size;
  }

  private enqueue(op: WriteOp): Promise<number | DeleteResult> {
    try {
      checkKey(op.key);
      if (op.kind !== 'delete') checkValue(op.key, op.value);
      this.checkOpen();
    } catch (err) {
      return Promise.reject(this.asStorageError(err));
    }
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // setImmediate, not a microtask: requests that arrived meanwhile join this batch.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits queued writes in one transaction; syncWal acknowledges them once they are durable. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.pending.length > this.maxBatch ? this.pending.splice(0, this.maxBatch) : this.pending;
    if (batch === this.pending) this.pending = [];
    if (this.pending.length > 0 && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    const startRev = this.rev;
    const outcomes: Outcome[] = [];
    const events: WatchEvent[] = [];
    try {
      this.commitBatch(batch, outcomes, events);
    } catch (err) {
      this.rev = startRev;
      const failure = new StorageError('Unavailable', `writing to ${this.path} failed: ${(err as Error).message}`, {
        cause: err,
      });
      for (const write of batch) write.reject(failure);
      return;
    }
    this.unsynced.push({ batch, outcomes, events });
    this.syncing ??= this.syncWal();
  }

  /**
   * Syncs the WAL (on libuv's thread pool) until no committed batch waits, then acknowledges
   * each batch and publishes its events, in commit order. synchronous = NORMAL (see
   * sqlite_database.ts) leaves this sync to us, and keeps sqlite's own at checkpoints.
   */
  private async syncWal(): Promise<void> {
    while (this.unsynced.length > 0) {
      const committed = this.unsynced;
      this.unsynced = [];
      try {
        if (this.syncFailure) throw this.syncFailure;
        this.wal ??= await fs.promises.open(`${this.path}-wal`, 'r+');
        await this.wal.sync();
      } catch (err) {
        // The batches are in the file but may not be on disk: refuse them and every later
        // write, as a failed fsync cannot be retried safely (the kernel may have dropped the pages).
        this.syncFailure ??= new StorageError('Unavailable', `syncing ${this.path} failed: ${(err as Error).message}`, { cause: err });
        for (const { batch } of committed) for (const write of batch) write.reject(this.syncFailure);
        continue;
      }
      for (const c of committed) this.acknowledge(c);
    }
    this.syncing = undefined;
  }

  private acknowledge({ batch, outcomes, events }: CommittedBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i] as Outcome;
      const write = batch[i] as QueuedWrite;
      if (outcome instanceof StorageError) write.reject(outcome);
      else write.resolve(outcome);
    }
    if (events.length > 0) this.hub.publish(events);
  }

  /** Applies one write inside the batch's transaction; a refused write returns its error. */
  private apply(op: WriteOp, events: WatchEvent[]): Outcome {
    const latest = this.stmt.latest.get(op.key);
    const exists = latest !== undefined && !latest.deleted;
    if (op.kind === 'create') {
      if (exists) return new StorageError('KeyExists', `key ${op.key} already exists`, { key: op.key });
      const rev = ++this.rev;
      this.stmt.insert.run(rev, op.key, rev, 0, 0, op.value);
      events.push({
        type: 'create',
        key: op.key,
        revision: rev,
        kv: { key: op.key, value: op.value, createRevision: rev, modRevision: rev },
      });
      return rev;
    }
    if (!exists) return new StorageError('NotFound', `key ${op.key} not found`, { key: op.key });
    const current = toKeyValue(latest);
    if (op.expected !== undefined && latest.rev !== op.expected) {
      return new StorageError(
        'Conflict',
        `key ${op.key} was modified at revision ${latest.rev}, not ${op.expected}`,
        { key: op.key, current },
      );
    }
    const rev = ++this.rev;
    if (op.kind === 'update') {
      this.stmt.insert.run(rev, op.key, latest.created_rev, latest.rev, 0, op.value);
      events.push({
        type: 'update',
        key: op.key,
        revision: rev,
        kv: { key: op.key, value: op.value, createRevision: latest.created_rev, modRevision: rev },
        prevKv: current,
      });
      return rev;
    }
    this.stmt.insert.run(rev, op.key, latest.created_rev, latest.rev, 1, '');
    events.push({ type: 'delete', key: op.key, revision: rev, kv: current, prevKv: current });
    return { kv: current, revision: rev };
  }

  private readRevision(requested: number | undefined): number {
    if (!requested) return this.rev;
    if (requested > this.rev) {
      throw new StorageError('InvalidRevision', `revision ${requested} is newer than the current revision ${this.rev}`);
    }
    const compactRev = this.compactor.compactRevision;
    if (requested < compactRev) {
      throw new StorageError('Compacted', `revision ${requested} has been compacted (oldest is ${compactRev})`, {
        revision: compactRev,
      });
    }
    return requested;
  }

  private checkOpen(): void {
    if (this.closed) throw new StorageError('Unavailable', `the store ${this.path} is closed`);
    if (this.syncFailure) throw this.syncFailure;
  }

  private asStorageError(err: unknown): StorageError {
    if (err instanceof StorageError) return err;
    return new StorageError('Unavailable', `reading ${this.path} failed: ${(err as Error).message}`, { cause: err });
  }
}

function toKeyValue(row: LogRow): KeyValue {
  return { key: row.key, value: row.value, createRevision: row.created_rev, modRevision: row.rev };
}

function replayEvent(row: ReplayRow): WatchEvent {
  const prevKv: KeyValue | undefined =
    row.p_rev === null
      ? undefined
      : { key: row.key, value: row.p_value as string, createRevision: row.p_created_rev as number, modRevision: row.p_rev };
  if (row.deleted) {
    // The compaction rule keeps the row a retained tombstone points to, so prevKv is present.
    const kv = prevKv as KeyValue;
    return { type: 'delete', key: row.key, revision: row.rev, kv, prevKv: kv };
  }
  const kv = toKeyValue(row);
  if (row.created_rev === row.rev) return { type: 'create', key: row.key, revision: row.rev, kv };
  return { type: 'update', key: row.key, revision: row.rev, kv, prevKv };
}
