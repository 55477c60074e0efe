/**
 * Durability of the sqlite backend: a child writes 5,000 keys, reporting each acknowledged
 * write, and is killed with SIGKILL mid-stream. After reopening, every acknowledged write must
 * be there at its revision, and revisions must run 1..N with no hole and no duplicate.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '../../src/storage/sqlite.js';

const child = fileURLToPath(new URL('./durability_child.js', import.meta.url));

test('acknowledged writes survive SIGKILL of the writer', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-durability-'));
  const file = path.join(dir, 'state.db');
  try {
    const acked = new Map<string, number>();
    const proc = spawn(process.execPath, [child, file, '5000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_code, signal) => resolve(signal)));
    const killAt = 1500 + Math.floor(Math.random() * 2000);
    for await (const line of readline.createInterface({ input: proc.stdout })) {
      const [word, key, rev] = line.split(' ');
      if (word !== 'ack' || !key) continue;
      acked.set(key, Number(rev));
      if (acked.size === killAt) proc.kill('SIGKILL');
    }
    assert.equal(await exited, 'SIGKILL', 'the writer was killed mid-stream');
    assert.ok(acked.size >= killAt);

    const store = SqliteStore.open({ path: file, compaction: { intervalMs: 0 } });
    try {
      const { items, revision } = await store.list('/registry/durability/');
      const stored = new Map(items.map((kv) => [kv.key, kv.modRevision]));
      for (const [key, rev] of acked) assert.equal(stored.get(key), rev, `acknowledged ${key}@${rev}`);
      const revisions = items.map((kv) => kv.modRevision).sort((a, b) => a - b);
      assert.deepEqual(
        revisions,
        Array.from({ length: items.length }, (_, i) => i + 1),
        'revisions 1..N without holes or duplicates',
      );
      assert.equal(revision, items.length);
      assert.equal(await store.currentRevision(), items.length);
      // The reopened store goes on from where the log ends.
      assert.equal(await store.create('/registry/durability/after', '{}'), items.length + 1);
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a second process cannot open a database in use; a corrupt file is named', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-lock-'));
  try {
    const file = path.join(dir, 'state.db');
    const store = SqliteStore.open({ path: file, compaction: { intervalMs: 0 } });
    try {
      const probe = spawn(
        process.execPath,
        ['--input-type=module', '-e', `
          import { SqliteStore } from ${JSON.stringify(new URL('../../src/storage/sqlite.js', import.meta.url).href)};
          try { SqliteStore.open({ path: ${JSON.stringify(file)} }); console.log('opened'); }
          catch (err) { console.log(err.message); process.exit(3); }`],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      probe.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => probe.on('exit', resolve));
      assert.equal(code, 3, out);
      assert.match(out, /in use by another process/);
      assert.ok(out.includes(file), out);
    } finally {
      await store.close();
    }

    const corrupt = path.join(dir, 'corrupt.db');
    fs.writeFileSync(corrupt, Buffer.alloc(8192, 7));
    assert.throws(
      () => SqliteStore.open({ path: corrupt }),
      (err: Error) => err.message.includes(corrupt) && /not an SQLite database|corrupt/.test(err.message),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
