/**
 * Compaction for the sqlite backend: bounds the revision log, and with it the database file,
 * under any amount of churn.
 *
 * compact(C) makes every revision below C unreadable at once (the logical step, recorded in
 * meta.compact_rev), then sweeps the log in small transactions (the physical step, progress in
 * meta.compact_done, resumed after a restart). A row may go when the row that replaced it is
 * below C too, and a tombstone may go when it is below C. So every event at revision >= C stays
 * replayable with its previous value, and every state at a revision >= C stays listable.
 *
 * The background loop compacts to the newer of "retainMs ago" and "retainRevisions ago",
 * so history never exceeds either bound.
 */
import type { Logger } from 'pino';
import type { SqliteDatabase } from './sqlite_database.js';

export interface CompactionPolicy {
  /** How often the background loop runs; 0 turns it off. */
  intervalMs: number;
  /** Keep at most this much time of history. */
  retainMs: number;
  /** Keep at most this many revisions of history. */
  retainRevisions: number;
}

export const DEFAULT_COMPACTION_POLICY: CompactionPolicy = {
  intervalMs: 10_000,
  retainMs: 5 * 60_000,
  retainRevisions: 10_000,
};

/** Revisions swept per transaction: small enough that writers never wait long. */
const SWEEP_CHUNK = 2_000;

export interface SqliteCompactorOptions {
  db: SqliteDatabase;
  policy?: Partial<CompactionPolicy> | undefined;
  logger?: Logger | undefined;
  now?: (() => number) | undefined;
  currentRevision: () => number;
}

export class SqliteCompactor {
  readonly policy: CompactionPolicy;
  private readonly db: SqliteDatabase;
  private readonly logger: Logger | undefined;
  private readonly now: () => number;
  private readonly currentRevision: () => number;
  private logical: number;
  private swept: number;
  /** (time, revision) samples taken by the loop, oldest first, to find "the revision retainMs ago". */
  private samples: { time: number; rev: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();
  private stopping = false;
  private readonly sweepChunk: (from: number, to: number) => void;
  private readonly setCompactRev: (rev: number) => void;

  constructor(options: SqliteCompactorOptions) {
    this.db = options.db;
    this.policy = { ...DEFAULT_COMPACTION_POLICY, ...options.policy };
    for (const [name, value] of Object.entries(this.policy)) {
      if (!Number.isSafeInteger(value) || value < 0) throw new Error(`compaction ${name} must be a non-negative integer, not ${value}`);
    }
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.currentRevision = options.currentRevision;
    const meta = this.db.prepare<[string], number>('SELECT value FROM meta WHERE name = ?').pluck();
    this.logical = meta.get('compact_rev') ?? 0;
    this.swept = meta.get('compact_done') ?? this.logical;
    const setMeta = this.db.prepare<[string, number]>('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)');
    const deleteReplaced = this.db.prepare<[number, number]>(
      'DELETE FROM kv_log WHERE rev IN (SELECT prev_rev FROM kv_log WHERE rev >= ? AND rev < ? AND prev_rev > 0)',
    );
    const deleteTombstones = this.db.prepare<[number, number]>('DELETE FROM kv_log WHERE rev >= ? AND rev < ? AND deleted = 1');
    this.sweepChunk = this.db.transaction((from: number, to: number) => {
      deleteReplaced.run(from, to);
      deleteTombstones.run(from, to);
      setMeta.run('compact_done', to);
    });
    this.setCompactRev = (rev) => setMeta.run('compact_rev', rev);
  }

  /** The oldest readable revision. */
  get compactRevision(): number {
    return this.logical;
  }

  start(): void {
    if (this.swept < this.logical) this.startSweep();
    if (this.policy.intervalMs > 0) {
      this.timer = setInterval(() => this.tick(), this.policy.intervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.sweeping;
  }

  /** Makes revisions below `revision` unreadable now; resolves when the log is swept. */
  compact(revision: number): Promise<void> {
    if (revision > this.logical) {
      this.setCompactRev(revision);
      this.logical = revision;
      this.startSweep();
    }
    return this.sweeping;
  }

  private tick(): void {
    const now = this.now();
    const current = this.currentRevision();
    this.samples.push({ time: now, rev: current });
    const cutoff = now - this.policy.retainMs;
    // Keep the newest sample at or before the cutoff: it is "the revision retainMs ago".
    while (this.samples.length > 1 && (this.samples[1] as { time: number }).time <= cutoff) this.samples.shift();
    const first = this.samples[0] as { time: number; rev: number };
    const byAge = first.time <= cutoff ? first.rev : 0;
    const byCount = current - this.policy.retainRevisions;
    const target = Math.max(byAge, byCount);
    if (target > this.logical) {
      this.compact(target).catch((err: unknown) => this.logger?.error({ err }, 'storage compaction failed'));
    } else if (this.swept < this.logical) {
      this.startSweep();
    }
  }

  private startSweep(): void {
    this.sweeping = this.sweeping.then(() => this.sweep());
  }

  private async sweep(): Promise<void> {
    const started = this.swept;
    while (this.swept < this.logical && !this.stopping) {
      const to = Math.min(this.swept + SWEEP_CHUNK, this.logical);
      try {
        this.sweepChunk(this.swept, to);
      } catch (err) {
        this.logger?.error({ err, from: this.swept, to }, 'storage compaction sweep failed; will retry');
        return;
      }
      this.swept = to;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (this.swept > started) this.logger?.debug({ compactRevision: this.logical, from: started }, 'storage compacted');
  }
}
