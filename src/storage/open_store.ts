/**
 * Opens the store a server is configured for: the one place that knows both backends. The
 * API server (and, until it exists, `kts server`) calls `openStore` and from then on sees only
 * the Store interface.
 *
 * Every failure to open comes back as a StoreOpenError whose message names the database file
 * or the etcd endpoints and says what is wrong, so the CLI can print it as it is.
 */
import type { Logger } from 'pino';
import type { CompactionPolicy } from './sqlite_compaction.js';
import { DatabaseOpenError } from './sqlite_database.js';
import { SqliteStore } from './sqlite.js';
import { EtcdStore, type EtcdTlsFiles } from './etcd.js';
import { isStorageError, type Store } from './store.js';

/** The embedded default: one SQLite file. */
export interface SqliteStoreConfig {
  backend: 'sqlite';
  /** The database file (`<data-dir>/db/state.db` for `kts server`). */
  path: string;
  /** Overrides of the backend's history retention defaults. */
  compaction?: Partial<CompactionPolicy>;
}

export type { EtcdTlsFiles };

/** An external etcd cluster, v3 API over gRPC. */
export interface EtcdStoreConfig {
  backend: 'etcd';
  /** Client URLs, `http(s)://host:port`, already validated. */
  endpoints: string[];
  tls?: EtcdTlsFiles;
}

export type StoreConfig = SqliteStoreConfig | EtcdStoreConfig;

export type StoreBackend = StoreConfig['backend'];

/** The backends, in the order `--store` lists them; the first is the default. */
export const STORE_BACKENDS: readonly StoreBackend[] = ['sqlite', 'etcd'];

export interface OpenStoreOptions {
  logger?: Logger;
  /** Aborts opening (the etcd backend retries an unreachable cluster until it answers). */
  signal?: AbortSignal;
}

/** Opening failed; `message` names the file or endpoints and the cause, fit to print as is. */
export class StoreOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreOpenError';
  }
}

/** Where a config's data lives, for log lines and error messages. */
export function describeStore(config: StoreConfig): string {
  return config.backend === 'sqlite' ? config.path : config.endpoints.join(',');
}

/** Opens the configured backend. Rejects with StoreOpenError. */
export async function openStore(config: StoreConfig, options: OpenStoreOptions = {}): Promise<Store> {
  switch (config.backend) {
    case 'sqlite':
      try {
        return SqliteStore.open({ path: config.path, compaction: config.compaction, logger: options.logger });
      } catch (err) {
        // DatabaseOpenError already names the file and says what is wrong.
        const message =
          err instanceof DatabaseOpenError
            ? err.message
            : `cannot open the kts database ${config.path}: ${errorMessage(err)}`;
        throw new StoreOpenError(message, { cause: err });
      }
    case 'etcd':
      try {
        return await EtcdStore.open({
          endpoints: config.endpoints,
          tls: config.tls,
          logger: options.logger,
          signal: options.signal,
        });
      } catch (err) {
        // The backend's own messages (StorageError) already say "etcd at <endpoints>".
        const message = isStorageError(err)
          ? err.message
          : `cannot use etcd at ${config.endpoints.join(', ')}: ${errorMessage(err)}`;
        throw new StoreOpenError(message, { cause: err });
      }
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
