/** The storage conformance suite on the sqlite backend, in a temporary directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../src/storage/sqlite.js';
import { runStoreConformance } from './conformance.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-sqlite-conformance-'));

runStoreConformance('sqlite', {
  open: ({ maxWatchBuffer }) =>
    Promise.resolve(SqliteStore.open({ path: path.join(dir, 'state.db'), maxWatchBuffer, compaction: { intervalMs: 0 } })),
  cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }),
});
