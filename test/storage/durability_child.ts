/**
 * Child process of sqlite_durability.test.ts: writes keys to the store at argv[2] with 32
 * writes in flight, and prints "ack <key> <revision>" for each write as soon as it is
 * acknowledged. The parent kills it with SIGKILL mid-stream.
 */
import { SqliteStore } from '../../src/storage/sqlite.js';

const [file, countText] = process.argv.slice(2);
if (!file || !countText) throw new Error('usage: durability_child <db file> <count>');
const count = Number(countText);
const store = SqliteStore.open({ path: file, compaction: { intervalMs: 0 } });
let next = 0;

async function writer(): Promise<void> {
  while (next < count) {
    const key = `/registry/durability/${String(next++).padStart(5, '0')}`;
    const rev = await store.create(key, JSON.stringify({ key }));
    process.stdout.write(`ack ${key} ${rev}\n`);
  }
}

await Promise.all(Array.from({ length: 32 }, writer));
process.stdout.write('done\n');
