/**
 * What the etcd backend does beyond the shared storage contract (test/storage/conformance.ts):
 * failing fast and recovering when etcd goes away, watches that survive an etcd restart,
 * waiting for etcd at start, fail-over between endpoints, compaction made by another client,
 * many watches on one stream, and TLS with client certificates. Each test runs its own etcd.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { EtcdStore, type EtcdStoreOptions } from './etcd.js';
import { isStorageError, type Watch, type WatchEvent } from './store.js';
import { startEtcd, type EtcdProcess } from '../../test/support/etcd_process.js';
import { freePort } from '../../test/support/free_port.js';
import { makeTestCerts } from '../../test/support/tls_certs.js';

const quiet = { info: () => undefined, warn: () => undefined };
const obj = (n: number): string => JSON.stringify({ kind: 'Test', n });

/** Runs `body` with a fresh etcd and a store on it; stops both afterwards. */
async function withEtcd(
  body: (etcd: EtcdProcess, store: EtcdStore) => Promise<void>,
  options: Partial<EtcdStoreOptions> = {},
): Promise<void> {
  const etcd = await startEtcd();
  const store = await EtcdStore.open({ endpoints: [etcd.endpoint], logger: quiet, ...options });
  try {
    await body(etcd, store);
  } finally {
    await store.close();
    await etcd.stop();
  }
}

/** Retries `fn` until it succeeds or `timeoutMs` passes. */
async function eventually<T>(fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

async function take(watch: Watch, n: number, timeoutMs = 20_000): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  const iterator = watch[Symbol.asyncIterator]();
  const timer = new AbortController();
  const timeout = sleep(timeoutMs, undefined, { signal: timer.signal }).then(() => {
    throw new Error(`timed out with ${events.length} of ${n} events`);
  });
  timeout.catch(() => undefined); // aborted once all events are in
  try {
    while (events.length < n) {
      const result = await Promise.race([iterator.next(), timeout]);
      if (result.done) throw new Error(`watch ended after ${events.length} of ${n} events`);
      events.push(result.value);
    }
  } finally {
    timer.abort();
  }
  return events;
}

test('calls fail fast with Unavailable while etcd is down, and recover when it returns', async () => {
  await withEtcd(
    async (etcd, store) => {
      const key = '/registry/outage/a';
      const r1 = await store.create(key, obj(1));
      await etcd.halt();

      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await assert.rejects(store.get(key), (err: unknown) => {
          assert.ok(isStorageError(err, 'Unavailable'), String(err));
          assert.match(err.message, new RegExp(etcd.endpoint.replace(/[.:/]/g, '\\$&')));
          return true;
        });
        assert.ok(performance.now() - started < 2_000, 'well before the 10s call timeout');
      }
      // Bad input is refused before any network I/O, so with its own code even now.
      await assert.rejects(store.create('/elsewhere', obj(1)), (err: unknown) => isStorageError(err, 'InvalidKey'));

      await etcd.restart();
      const kv = await eventually(() => store.get(key));
      assert.equal(kv?.modRevision, r1);
      assert.equal(await store.update(key, obj(2), r1), r1 + 1);
    },
    { callTimeoutMs: 10_000 },
  );
});

test('a watch survives etcd restarts without losing or repeating an event', async () => {
  await withEtcd(async (etcd, store) => {
    const p = '/registry/resume/';
    const start = await store.currentRevision();
    const watch = store.watch(p, start);
    const fromNow = store.watch(p, 0);
    let n = 0;
    const write = async (count: number) => {
      for (let i = 0; i < count; i++, n++) await store.create(`${p}${n}`, obj(n));
    };
    await write(5);
    assert.equal((await take(watch, 5)).at(-1)?.revision, start + 5);
    await write(5); // buffered in the watch, not yet consumed, when etcd dies
    await etcd.halt();
    await etcd.restart();
    await eventually(() => write(1)); // written before the watches resume
    await write(4);
    await etcd.halt('SIGTERM');
    await etcd.restart();
    await eventually(() => write(5));

    const rest = await take(watch, 15);
    assert.deepEqual(
      rest.map((e) => e.revision),
      Array.from({ length: 15 }, (_, i) => start + 6 + i),
    );
    assert.deepEqual(
      rest.map((e) => e.key),
      Array.from({ length: 15 }, (_, i) => `${p}${5 + i}`),
    );
    assert.equal(watch.lastRevision, start + 20);
    // The watch from now began before the first write, so it sees all 20.
    assert.equal((await take(fromNow, 20)).at(-1)?.revision, start + 20);
    watch.stop();
    fromNow.stop();
  });
});

test('open waits for etcd to answer, and gives up when aborted', async () => {
  const etcd = await startEtcd();
  await etcd.halt();
  const warnings: string[] = [];
  const logger = { info: () => undefined, warn: (m: string) => warnings.push(m) };
  const opening = EtcdStore.open({ endpoints: [etcd.endpoint], logger });
  await sleep(500);
  await etcd.restart();
  const store = await opening;
  assert.ok(warnings.some((w) => w.includes(etcd.endpoint)), warnings.join('\n'));
  await store.close();
  await etcd.stop();

  const nowhere = `http://127.0.0.1:${await freePort()}`;
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 300);
  await assert.rejects(EtcdStore.open({ endpoints: [nowhere], logger: quiet, signal: abort.signal }), (err: unknown) => {
    assert.ok(isStorageError(err, 'Unavailable'), String(err));
    assert.ok(err.message.includes(nowhere), err.message);
    return true;
  });
});

test('calls fail over to an endpoint that answers', async () => {
  const etcd = await startEtcd();
  const dead = `http://127.0.0.1:${await freePort()}`;
  const store = await EtcdStore.open({ endpoints: [dead, etcd.endpoint], logger: quiet });
  try {
    const started = performance.now();
    const r = await store.create('/registry/failover/a', obj(1));
    assert.equal((await store.get('/registry/failover/a'))?.modRevision, r);
    const watch = store.watch('/registry/failover/', r - 1);
    assert.equal((await take(watch, 1))[0]?.revision, r);
    watch.stop();
    assert.ok(performance.now() - started < 5_000);
  } finally {
    await store.close();
    await etcd.stop();
  }
});

test('compactRevision finds a compaction another client made', async () => {
  await withEtcd(async (etcd, store) => {
    const other = await EtcdStore.open({ endpoints: [etcd.endpoint], logger: quiet });
    try {
      assert.equal(await store.compactRevision(), 0);
      let rev = 0;
      for (let i = 0; i < 37; i++) rev = await store.create(`/registry/compactor/${i}`, obj(i));
      await other.compact(rev - 10);
      assert.equal(await store.compactRevision(), rev - 10);
      await other.compact(rev - 3);
      assert.equal(await store.compactRevision(), rev - 3);
      // Compacting at an older revision than etcd's is not an error.
      await store.compact(rev - 5);
      await assert.rejects(store.list('/registry/compactor/', { revision: rev - 4 }), (err: unknown) => {
        assert.ok(isStorageError(err, 'Compacted'), String(err));
        assert.equal(err.details.revision, rev - 3);
        return true;
      });
    } finally {
      await other.close();
    }
  });
});

test('a thousand watches share one stream and each sees every write', async () => {
  await withEtcd(async (_etcd, store) => {
    const watches = Array.from({ length: 1_000 }, (_, i) => store.watch(`/registry/many/${i % 10}/`, 0));
    // Let etcd create them all before writing: a watch from now starts when etcd creates it.
    await eventually(() => Promise.resolve(assert.ok(watches.every((w) => w.lastRevision > 0))));
    for (let i = 0; i < 10; i++) await store.create(`/registry/many/${i}/x`, obj(i));
    for (let round = 0; round < 3; round++) await store.create(`/registry/many/${round}/y`, obj(round));
    const events = await Promise.all(watches.map((w, i) => take(w, i % 10 < 3 ? 2 : 1)));
    for (const [i, got] of events.entries()) assert.equal(got[0]?.key, `/registry/many/${i % 10}/x`);
    for (const w of watches) w.stop();
  });
});

test('watches on one prefix share one etcd watch; a watch from the recent past joins by replay', async () => {
  await withEtcd(async (_etcd, store) => {
    const p = '/registry/shared/';
    await store.create('/registry/elsewhere/a', obj(0));
    const start = await store.currentRevision();
    const live = store.watch(p, 0);
    const revs: number[] = [];
    for (let i = 0; i < 5; i++) revs.push(await store.create(`${p}${i}`, obj(i)));
    assert.deepEqual(
      (await take(live, 5)).map((e) => e.revision),
      revs,
    );
    // From the recent past: replayed from the shared watch's ring, then live.
    const recent = store.watch(p, revs[1]!);
    const fromNow = store.watch(p, 0);
    assert.equal(store.etcdWatchCount, 1);
    // From before the shared watch began: its own etcd watch.
    const older = store.watch(p, start - 1);
    assert.equal(store.etcdWatchCount, 2);
    const r6 = await store.create(`${p}5`, obj(5));
    assert.deepEqual(
      (await take(recent, 4)).map((e) => e.revision),
      [revs[2], revs[3], revs[4], r6],
    );
    assert.deepEqual(
      (await take(fromNow, 1)).map((e) => e.revision),
      [r6],
    );
    assert.equal((await take(live, 1))[0]?.revision, r6);
    assert.equal((await take(older, 6)).at(-1)?.revision, r6);
    // The last consumer leaving cancels the etcd watch.
    older.stop();
    assert.equal(store.etcdWatchCount, 1);
    for (const w of [live, recent]) w.stop();
    assert.equal(store.etcdWatchCount, 1);
    fromNow.stop();
    assert.equal(store.etcdWatchCount, 0);
  });
});

test('watches from now that join while events are in flight see no gap and no duplicate', async () => {
  await withEtcd(async (_etcd, store) => {
    const p = '/registry/inflight/';
    const first = store.watch(p, 0);
    const joined: { watch: Watch; after: number }[] = [];
    const writes = 640;
    for (let i = 0; i < writes; i += 64) {
      // Join while the previous batch's events may still be on their way from etcd.
      const watch = store.watch(p, 0);
      joined.push({ watch, after: watch.lastRevision });
      await Promise.all(Array.from({ length: 64 }, (_, j) => store.create(`${p}${i + j}`, obj(i + j))));
    }
    const last = await store.currentRevision();
    assert.equal(store.etcdWatchCount, 1);
    for (const { watch, after } of [{ watch: first, after: first.lastRevision }, ...joined]) {
      const events = await take(watch, last - after);
      assert.deepEqual(
        events.map((e) => e.revision),
        Array.from({ length: last - after }, (_, k) => after + 1 + k),
      );
      watch.stop();
    }
  });
});

test('a watch from now that joined a compacted shared watch moves on; the others get Compacted', async () => {
  await withEtcd(async (_etcd, store) => {
    const p = '/registry/compactshared/';
    let rev = 0;
    for (let i = 0; i < 20; i++) rev = await store.create(`${p}${i}`, obj(i));
    await store.compact(rev - 5);
    const old = store.watch(p, rev - 15); // a new etcd watch, refused as compacted
    const fromNow = store.watch(p, 0); // joins it before etcd answers
    assert.equal(store.etcdWatchCount, 1);
    const err = await take(old, 1).catch((e: unknown) => e);
    assert.ok(isStorageError(err, 'Compacted'), String(err));
    const next = await store.create(`${p}x`, obj(99));
    assert.equal((await take(fromNow, 1))[0]?.revision, next);
    assert.equal(store.etcdWatchCount, 1);
    fromNow.stop();
    assert.equal(store.etcdWatchCount, 0);
  });
});

test('TLS with client certificates', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-etcd-tls-'));
  try {
    const certs = makeTestCerts(dir);
    const etcd = await startEtcd({
      tls: { caFile: certs.caFile, certFile: certs.serverCertFile, keyFile: certs.serverKeyFile },
    });
    try {
      assert.ok(etcd.endpoint.startsWith('https://'));
      const tls = { caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile };
      const store = await EtcdStore.open({ endpoints: [etcd.endpoint], tls, logger: quiet });
      const watch = store.watch('/registry/tls/', 0);
      const r = await store.create('/registry/tls/a', obj(1));
      assert.equal((await store.get('/registry/tls/a'))?.modRevision, r);
      assert.equal((await take(watch, 1))[0]?.revision, r);
      await store.close();

      // Without a client certificate etcd refuses the connection.
      const abort = new AbortController();
      setTimeout(() => abort.abort(), 1_000);
      await assert.rejects(
        EtcdStore.open({ endpoints: [etcd.endpoint], tls: { caFile: certs.caFile }, logger: quiet, signal: abort.signal }),
        (err: unknown) => isStorageError(err, 'Unavailable'),
      );
    } finally {
      await etcd.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
