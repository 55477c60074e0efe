/**
 * The storage conformance suite: the contract of src/storage/store.ts, run against every
 * backend (sqlite_conformance.test.ts, etcd_conformance.test.ts). Tests share one store and
 * keep to their own key prefix, except compaction, which runs last.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isStorageError, type Store, type StorageErrorCode, type WatchEvent, type Watch } from '../../src/storage/store.js';

export interface ConformanceBackend {
  /** Opens a store; `maxWatchBuffer` is the per-watch buffer before WatcherTooSlow. */
  open(options: { maxWatchBuffer: number }): Promise<Store>;
  /** Releases what open() made (processes, files) after the store is closed. */
  cleanup?(): Promise<void>;
}

const MAX_WATCH_BUFFER = 500;

async function expectCode(promise: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isStorageError(err, code), `expected ${code}, got ${String(err)}`);
    return true;
  });
}

/** Reads `n` events from a watch, failing after `timeoutMs`. */
async function take(watch: Watch, n: number, timeoutMs = 10_000): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  if (n === 0) return events;
  const iterator = watch[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out with ${events.length} of ${n} events`)), timeoutMs);
  });
  try {
    while (events.length < n) {
      const result = await Promise.race([iterator.next(), timeout]);
      if (result.done) throw new Error(`watch ended after ${events.length} of ${n} events`);
      events.push(result.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

/** Resolves with the error that ends the watch, or rejects if it delivers an event instead. */
async function watchError(watch: Watch, timeoutMs = 10_000): Promise<unknown> {
  const iterator = watch[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('watch did not fail in time')), timeoutMs);
  });
  try {
    for (;;) {
      const result = await Promise.race([iterator.next(), timeout]);
      if (result.done) throw new Error('watch ended without an error');
    }
  } catch (err) {
    return err;
  } finally {
    clearTimeout(timer);
  }
}

const obj = (n: number | string): string => JSON.stringify({ kind: 'Test', n });

export function runStoreConformance(name: string, backend: ConformanceBackend): void {
  describe(`storage conformance: ${name}`, () => {
    let store: Store;

    before(async () => {
      store = await backend.open({ maxWatchBuffer: MAX_WATCH_BUFFER });
    });

    after(async () => {
      await store.close();
      await backend.cleanup?.();
    });

    test('create, get, update and delete are guarded by revisions', async () => {
      const key = '/registry/crud/default/a';
      const r1 = await store.create(key, obj(1));
      assert.ok(r1 > 0);
      assert.deepEqual(await store.get(key), { key, value: obj(1), createRevision: r1, modRevision: r1 });
      await expectCode(store.create(key, obj(2)), 'KeyExists');

      await assert.rejects(store.update(key, obj(2), r1 - 1), (err: unknown) => {
        assert.ok(isStorageError(err, 'Conflict'));
        assert.equal(err.details.current?.modRevision, r1);
        assert.equal(err.details.current?.value, obj(1));
        return true;
      });
      const r2 = await store.update(key, obj(2), r1);
      assert.equal(r2, r1 + 1, 'each write takes the next revision');
      assert.deepEqual(await store.get(key), { key, value: obj(2), createRevision: r1, modRevision: r2 });

      await expectCode(store.delete(key, r1), 'Conflict');
      const deleted = await store.delete(key, r2);
      assert.equal(deleted.revision, r2 + 1);
      assert.deepEqual(deleted.kv, { key, value: obj(2), createRevision: r1, modRevision: r2 });
      assert.equal(await store.get(key), undefined);
      await expectCode(store.update(key, obj(3), r2), 'NotFound');
      await expectCode(store.delete(key), 'NotFound');
      assert.equal(await store.currentRevision(), r2 + 1, 'refused writes take no revision');

      const r4 = await store.create(key, obj(4));
      assert.equal((await store.get(key))?.createRevision, r4, 'a re-created key starts a new life');
      const unguarded = await store.delete(key);
      assert.equal(unguarded.kv.modRevision, r4);
    });

    test('bad keys and values are refused and change nothing', async () => {
      const before = await store.currentRevision();
      await expectCode(store.create('/elsewhere/a', obj(1)), 'InvalidKey');
      await expectCode(store.create('registry/a', obj(1)), 'InvalidKey');
      await expectCode(store.create('/registry/', obj(1)), 'InvalidKey');
      await expectCode(store.get('/etc/passwd'), 'InvalidKey');
      await expectCode(store.list('/other/'), 'InvalidKey');
      await expectCode(store.create('/registry/bad/a', '{not json'), 'InvalidValue');
      await expectCode(store.create('/registry/bad/a', '"a string"'), 'InvalidValue');
      await expectCode(store.create('/registry/bad/a', ''), 'InvalidValue');
      assert.throws(() => store.watch('/nope/', 0), (err: unknown) => isStorageError(err, 'InvalidKey'));
      assert.equal(await store.currentRevision(), before);
      assert.equal(await store.get('/registry/bad/a'), undefined);
    });

    test('list reads the present or a past revision, in key order', async () => {
      const p = '/registry/past/';
      await store.create(`${p}a`, obj('a1'));
      const rb = await store.create(`${p}b`, obj('b1'));
      await store.create(`${p}c`, obj('c1'));
      await store.create('/registry/pastx/z', obj('outside'));
      const then = await store.currentRevision();
      await store.update(`${p}b`, obj('b2'), rb);
      await store.delete(`${p}c`);
      await store.create(`${p}d`, obj('d1'));

      const old = await store.list(p, { revision: then });
      assert.equal(old.revision, then);
      assert.equal(old.more, false);
      assert.deepEqual(
        old.items.map((kv) => [kv.key, kv.value]),
        [
          [`${p}a`, obj('a1')],
          [`${p}b`, obj('b1')],
          [`${p}c`, obj('c1')],
        ],
      );
      const now = await store.list(p);
      assert.equal(now.revision, await store.currentRevision());
      assert.deepEqual(
        now.items.map((kv) => [kv.key, kv.value]),
        [
          [`${p}a`, obj('a1')],
          [`${p}b`, obj('b2')],
          [`${p}d`, obj('d1')],
        ],
      );
      assert.equal(await store.count(p), 3);
      await expectCode(store.list(p, { revision: now.revision + 1000 }), 'InvalidRevision');
    });

    test('paging with limit/continue stays at one revision while writes go on', async () => {
      const p = '/registry/paging/';
      const keys: string[] = [];
      for (let i = 0; i < 95; i++) keys.push(`${p}${String(i).padStart(3, '0')}`);
      await Promise.all(keys.map((k, i) => store.create(k, obj(i))));
      const seen: string[] = [];
      let page = await store.list(p, { limit: 10 });
      const revision = page.revision;
      for (let round = 0; ; round++) {
        for (const kv of page.items) {
          assert.equal(kv.value, obj(keys.indexOf(kv.key)), `${kv.key} as of revision ${revision}`);
          seen.push(kv.key);
        }
        if (!page.more) break;
        // Writes between pages: change, delete and add keys on both sides of the cursor.
        const victim = keys[(round * 7) % keys.length] as string;
        const current = await store.get(victim);
        if (current) await store.update(victim, obj('changed'), current.modRevision);
        await store.delete(keys[(round * 13 + 5) % keys.length] as string).catch(() => undefined);
        await store.create(`${p}${String(round)}x`, obj('new'));
        const last = page.items[page.items.length - 1]?.key;
        page = await store.list(p, { limit: 10, continueFrom: last, revision });
        assert.equal(page.revision, revision);
      }
      assert.deepEqual(seen, keys);
    });

    test('watch replays every event after a revision, then live ones, with no gap or duplicate', async () => {
      const p = '/registry/watch/';
      const start = await store.currentRevision();
      const ra = await store.create(`${p}a`, obj(1));
      const ra2 = await store.update(`${p}a`, obj(2), ra);
      await store.create(`${p}b`, obj(3));
      await store.delete(`${p}a`, ra2);
      const watch = store.watch(p, start);
      // Live writes, some while the replay is being read.
      const live = (async () => {
        for (let i = 0; i < 50; i++) await store.create(`${p}live${i}`, obj(i));
      })();
      const events = await take(watch, 54);
      await live;
      watch.stop();

      const revisions = events.map((e) => e.revision);
      assert.deepEqual(
        revisions,
        Array.from({ length: 54 }, (_, i) => start + 1 + i),
      );
      const [e1, e2, e3, e4] = events as [WatchEvent, WatchEvent, WatchEvent, WatchEvent];
      assert.equal(e1.type, 'create');
      assert.deepEqual(e1.kv, { key: `${p}a`, value: obj(1), createRevision: ra, modRevision: ra });
      assert.equal(e2.type, 'update');
      assert.equal(e2.kv.value, obj(2));
      assert.deepEqual(e2.prevKv, { key: `${p}a`, value: obj(1), createRevision: ra, modRevision: ra });
      assert.equal(e3.type, 'create');
      assert.equal(e4.type, 'delete');
      assert.equal(e4.key, `${p}a`);
      assert.equal(e4.kv.value, obj(2), 'a delete carries the last value');
      assert.equal(e4.kv.modRevision, ra2);
      assert.equal(watch.lastRevision, start + 54);
    });

    test('a watch from now sees only later writes; a prefix watch only its prefix', async () => {
      await store.create('/registry/scope/a/1', obj(1));
      const watch = store.watch('/registry/scope/a/', 0);
      const watchAll = store.watch('/registry/scope/', 0);
      await store.create('/registry/scope/ab/1', obj(2));
      await store.create('/registry/scope/b/1', obj(3));
      await store.create('/registry/scope/a/2', obj(4));
      const [only] = await take(watch, 1);
      assert.equal(only?.key, '/registry/scope/a/2');
      const all = await take(watchAll, 3);
      assert.deepEqual(
        all.map((e) => e.key),
        ['/registry/scope/ab/1', '/registry/scope/b/1', '/registry/scope/a/2'],
      );
      watch.stop();
      watchAll.stop();
    });

    test('a stalled watcher neither slows writers nor other watchers, and is dropped', async () => {
      const p = '/registry/stall/';
      const stalled = store.watch(p, 0);
      const active = store.watch(p, 0);
      const writes = 2_000;
      const received = take(active, writes, 60_000);
      const started = performance.now();
      for (let i = 0; i < writes; i += 64) {
        const n = Math.min(64, writes - i);
        await Promise.all(Array.from({ length: n }, (_, j) => store.create(`${p}${i + j}`, obj(i + j))));
      }
      const elapsed = performance.now() - started;
      assert.equal((await received).length, writes);
      active.stop();
      const err = await watchError(stalled);
      assert.ok(isStorageError(err, 'WatcherTooSlow'), `stalled watcher ended with ${String(err)}`);
      assert.ok(stalled.lastRevision > 0);
      // Not a timing test: just that nothing waited on the stalled reader.
      assert.ok(elapsed < 60_000);
    });

    test('concurrent conflicting updates: exactly one wins per revision', async () => {
      const key = '/registry/race/counter';
      const r0 = await store.create(key, JSON.stringify({ n: 0 }));
      const attempts = await Promise.allSettled(
        Array.from({ length: 1000 }, (_, i) => store.update(key, JSON.stringify({ n: 1, by: i }), r0)),
      );
      const won = attempts.filter((a) => a.status === 'fulfilled');
      assert.equal(won.length, 1, 'one update wins');
      for (const a of attempts) {
        if (a.status === 'rejected') assert.ok(isStorageError(a.reason, 'Conflict'), String(a.reason));
      }

      // Read-modify-write loops retrying on conflict: no lost update, one winner per revision.
      const workers = 50;
      const perWorker = 10;
      const winners = new Map<number, number>();
      await Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          for (let done = 0; done < perWorker; ) {
            const kv = await store.get(key);
            assert.ok(kv);
            const n = (JSON.parse(kv.value) as { n: number }).n;
            try {
              const rev = await store.update(key, JSON.stringify({ n: n + 1, by: w }), kv.modRevision);
              assert.ok(!winners.has(rev), `revision ${rev} won twice`);
              winners.set(rev, w);
              done++;
            } catch (err) {
              if (!isStorageError(err, 'Conflict')) throw err;
            }
          }
        }),
      );
      const final = await store.get(key);
      assert.equal((JSON.parse(final?.value ?? '{}') as { n: number }).n, 1 + workers * perWorker);
    });

    test('compaction: older revisions give Compacted, newer ones stay readable', async () => {
      const p = '/registry/compact/';
      const ra = await store.create(`${p}a`, obj(1));
      const ra2 = await store.update(`${p}a`, obj(2), ra);
      const rb = await store.create(`${p}b`, obj(3));
      await store.delete(`${p}b`, rb);
      const target = await store.update(`${p}a`, obj(4), ra2);
      await store.create(`${p}c`, obj(5));
      await store.compact(target);
      assert.ok((await store.compactRevision()) >= target);

      await expectCode(store.list(p, { revision: target - 1 }), 'Compacted');
      const at = await store.list(p, { revision: target });
      assert.deepEqual(
        at.items.map((kv) => [kv.key, kv.value]),
        [[`${p}a`, obj(4)]],
      );
      const tooOld = store.watch(p, target - 2);
      assert.ok(isStorageError(await watchError(tooOld), 'Compacted'));
      // Events from the compaction revision on are still there. (The previous value of the
      // event at exactly the compaction revision may be gone: etcd keeps none.)
      const after = await store.update(`${p}a`, obj(6), target);
      const watch = store.watch(p, target - 1);
      const [update, create, last] = await take(watch, 3);
      watch.stop();
      assert.equal(update?.type, 'update');
      assert.equal(update?.revision, target);
      assert.equal(update?.kv.value, obj(4));
      assert.equal(create?.key, `${p}c`);
      assert.equal(last?.revision, after);
      assert.equal(last?.prevKv?.value, obj(4));
      await store.compact(target - 1);
      await store.compact(target);
      assert.equal((await store.get(`${p}a`))?.value, obj(6));
    });
  });
}
