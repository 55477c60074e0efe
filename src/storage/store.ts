/**
 * The storage contract: the one interface between the API server and the database that keeps
 * the cluster's state. Only src/apiserver may use it; every other component talks to the API.
 *
 * Model (the same as etcd's, which Kubernetes is built on):
 * - Keys are strings under REGISTRY_PREFIX (`/registry/<resource>/<namespace>/<name>`), values
 *   are the object's JSON text.
 * - Every successful write (create, update, delete) gets the next revision of one global,
 *   strictly increasing counter, without holes. An entry's `modRevision` is the revision of its
 *   last write; an object's metadata.resourceVersion is that number.
 * - Reads are linearizable: a read started after a write was acknowledged sees it.
 * - `watch` delivers every write after a given revision, in revision order, exactly once, with
 *   the previous value; history older than the compaction revision is gone (Compacted).
 *
 * Both backends (sqlite.ts, etcd.ts) satisfy this contract, and one conformance suite
 * (test/storage/conformance.ts) holds them to it.
 */

/** Every key lives below this prefix; the store refuses any other key. */
export const REGISTRY_PREFIX = '/registry/';

/** One stored entry. */
export interface KeyValue {
  key: string;
  /** The object's JSON text, as written. */
  value: string;
  /** Revision of the write that created this incarnation of the key. */
  createRevision: number;
  /** Revision of the last write to the key. */
  modRevision: number;
}

export interface ListOptions {
  /** Most entries to return; 0 or absent means all. */
  limit?: number;
  /** Return only keys strictly greater than this one (the last key of the previous page). */
  continueFrom?: string;
  /**
   * Read the state as of this revision (0 or absent: the current one). Paging passes the
   * revision of the first page so that every page shows the same moment. A revision older
   * than the compaction revision fails with Compacted; one newer than the current revision
   * fails with InvalidRevision.
   */
  revision?: number;
}

export interface ListResult {
  /** Entries in key order. */
  items: KeyValue[];
  /** The revision the list was read at: pass it back as `revision` to read the next page. */
  revision: number;
  /** True when entries past the last one returned exist (the list was cut by `limit`). */
  more: boolean;
}

export type WatchEventType = 'create' | 'update' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  key: string;
  /** The revision of this write. */
  revision: number;
  /**
   * For create and update, the new entry; for delete, the entry as it was just before
   * (its value is the last value; modRevision is the revision of that last write).
   */
  kv: KeyValue;
  /** For update, the entry before this write; for delete, the same as `kv`. */
  prevKv?: KeyValue;
}

/**
 * A live watch: an async iterable of events. Iteration ends normally after `stop()`; it ends
 * with a StorageError when the watch cannot go on: Compacted (the start revision's history is
 * gone), WatcherTooSlow (the consumer fell too far behind; resume from `lastRevision`), or
 * Unavailable (the backend is gone and the watch could not resume).
 */
export interface Watch extends AsyncIterable<WatchEvent> {
  /** Revision of the last event handed to the consumer (the start revision before any). */
  readonly lastRevision: number;
  /** Ends the watch and releases its resources; safe to call more than once. */
  stop(): void;
}

/** Deletion outcome: the entry as it was, and the revision of the delete. */
export interface DeleteResult {
  kv: KeyValue;
  revision: number;
}

export interface Store {
  /** The entry at `key`, or undefined when there is none. */
  get(key: string): Promise<KeyValue | undefined>;

  /** Entries whose keys start with `prefix`, in key order, paged; see ListOptions. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;

  /** Number of entries whose keys start with `prefix`, at the current revision. */
  count(prefix: string): Promise<number>;

  /** Creates `key`; fails with KeyExists if it exists. Resolves to the write's revision. */
  create(key: string, value: string): Promise<number>;

  /**
   * Replaces the value of `key` if its modRevision is still `expectedModRevision`.
   * Fails with NotFound when the key is absent, Conflict (carrying the current entry) when it
   * changed since. Resolves to the write's revision.
   */
  update(key: string, value: string, expectedModRevision: number): Promise<number>;

  /**
   * Deletes `key`, guarded by `expectedModRevision` when given. Fails with NotFound or
   * Conflict (carrying the current entry).
   */
  delete(key: string, expectedModRevision?: number): Promise<DeleteResult>;

  /**
   * Watches keys starting with `prefix` for writes with revision greater than
   * `afterRevision`: first the history, then live writes, in order, with no gap and no
   * duplicate. `afterRevision` 0 means "from now". Fails (through the iterator) with
   * Compacted when that history is gone.
   */
  watch(prefix: string, afterRevision: number): Watch;

  /** Discards history older than `revision`; reads and watches before it give Compacted. */
  compact(revision: number): Promise<void>;

  /** The revision of the last write. */
  currentRevision(): Promise<number>;

  /** The oldest revision still readable (the last compaction revision, or 0). */
  compactRevision(): Promise<number>;

  /** Stops watches and background work and releases the database. */
  close(): Promise<void>;
}

export type StorageErrorCode =
  | 'KeyExists'
  | 'NotFound'
  | 'Conflict'
  | 'Compacted'
  | 'InvalidRevision'
  | 'Unavailable'
  | 'WatcherTooSlow'
  | 'InvalidKey'
  | 'InvalidValue';

/**
 * The one error type of the storage layer. The API server translates it once into a
 * Kubernetes Status (KeyExists → 409 AlreadyExists, NotFound → 404, Conflict → 409,
 * Compacted → 410 Expired, Unavailable → 503, ...).
 */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    readonly details: {
      key?: string;
      /** Conflict: the entry as it is now. */
      current?: KeyValue;
      /** Compacted: the compaction revision. WatcherTooSlow: the revision to resume after. */
      revision?: number;
      cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'StorageError';
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}

/** Throws InvalidKey unless `key` is a key the registry may hold. */
export function checkKey(key: string): void {
  if (!key.startsWith(REGISTRY_PREFIX) || key.length === REGISTRY_PREFIX.length) {
    throw new StorageError('InvalidKey', `key ${JSON.stringify(key)} is outside ${REGISTRY_PREFIX}`, { key });
  }
  if (key.includes('\0')) {
    throw new StorageError('InvalidKey', `key ${JSON.stringify(key)} contains a NUL character`, { key });
  }
}

/** Throws InvalidKey unless `prefix` lies inside the registry. */
export function checkPrefix(prefix: string): void {
  if (!prefix.startsWith(REGISTRY_PREFIX) || prefix.includes('\0')) {
    throw new StorageError('InvalidKey', `prefix ${JSON.stringify(prefix)} is outside ${REGISTRY_PREFIX}`, { key: prefix });
  }
}

/** Throws InvalidValue unless `value` is a JSON object's text. */
export function checkValue(key: string, value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new StorageError('InvalidValue', `value for ${key} is not valid JSON: ${(err as Error).message}`, { key });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new StorageError('InvalidValue', `value for ${key} is not a JSON object`, { key });
  }
}

/** The smallest string greater than every string starting with `prefix` (etcd's range end). */
export function prefixEnd(prefix: string): string {
  // Registry keys are ASCII paths, so bumping the last UTF-16 unit gives the range end.
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}
