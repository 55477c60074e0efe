/**
 * `npm run bench:storage`: the storage layer's figures, per backend. A benchmark, not a test:
 * it prints numbers and judges nothing. Usage: node dist/bench/storage.js [sqlite] [etcd]
 * (both when none is named). Figures go to docs/benchmarks.md by hand, with the machine's
 * conditions.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../src/storage/sqlite.js';
import type { Store } from '../src/storage/store.js';

interface Backend {
  name: string;
  /** Opens a fresh, empty store; `size()` reports its on-disk bytes. */
  open(compactEveryMs: number): Promise<{
    store: Store;
    size: () => number;
    /** What the bytes are, when the total alone misleads. */
    sizeDetail?: () => Promise<string>;
    cleanup: () => Promise<void>;
  }>;
}

function dirSize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    open: (compactEveryMs) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-bench-sqlite-'));
      const store = SqliteStore.open({
        path: path.join(dir, 'state.db'),
        compaction: { intervalMs: compactEveryMs, retainRevisions: 10_000 },
        maxWatchBuffer: 100_000,
      });
      return Promise.resolve({
        store,
        size: () => dirSize(dir),
        cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }),
      });
    },
  },
  {
    name: 'etcd',
    open: async (compactEveryMs) => {
      // Loaded here so that a sqlite-only run needs no etcd binary.
      const { EtcdStore } = await import('../src/storage/etcd.js');
      const { startEtcd } = await import('../test/support/etcd_process.js');
      const etcd = await startEtcd();
      const store = await EtcdStore.open({ endpoints: [etcd.endpoint], maxWatchBuffer: 100_000 });
      // etcd does not compact by itself here: the API server's compactor does, as in Kubernetes.
      const timer = setInterval(() => {
        void store.currentRevision().then((rev: number) => (rev > 10_000 ? store.compact(rev - 10_000) : undefined));
      }, compactEveryMs);
      return {
        store,
        size: () => dirSize(etcd.dataDir),
        // etcd preallocates its write-ahead log in 64 MiB segments and keeps up to five; the
        // database file (bbolt) is the part compaction and defragmentation act on.
        sizeDetail: async () => {
          const [db] = await store.databaseSizes();
          const wal = dirSize(path.join(etcd.dataDir, 'member', 'wal'));
          return `WAL ${mib(wal)}, database ${mib(db?.size ?? 0)} of which in use ${mib(db?.inUse ?? 0)}`;
        },
        cleanup: async () => {
          clearInterval(timer);
          await etcd.stop();
        },
      };
    },
  },
];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

async function createsPerSecond(store: Store, writers: number, total: number, prefix: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (next < total) {
        const i = next++;
        await store.create(`${prefix}${i}`, JSON.stringify({ kind: 'Pod', metadata: { name: `p${i}` }, spec: { n: i } }));
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

async function readsPerSecond(store: Store, keys: string[], total: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await store.get(keys[next++ % keys.length] as string);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/**
 * Latency from a write's start to each watcher's receipt of its event, and of the write's own
 * acknowledgement: delivery cannot beat the commit.
 */
async function watchLatency(store: Store, watchers: number, writes: number): Promise<{ delivered: number[]; acked: number[] }> {
  const prefix = '/registry/watchbench/';
  const latencies: number[] = [];
  const acked: number[] = [];
  // Send times by key, so that a delivery costs the consumer no JSON parsing.
  const sentAt = new Map<string, number>();
  const watches = Array.from({ length: watchers }, () => store.watch(prefix, 0));
  const consumers = watches.map(async (watch) => {
    let seen = 0;
    for await (const event of watch) {
      latencies.push(performance.now() - (sentAt.get(event.key) as number));
      if (++seen === writes) break;
    }
  });
  for (let i = 0; i < writes; i++) {
    const key = `${prefix}${i}`;
    const sent = performance.now();
    sentAt.set(key, sent);
    await store.create(key, JSON.stringify({ i }));
    acked.push(performance.now() - sent);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(consumers);
  return { delivered: latencies.sort((a, b) => a - b), acked: acked.sort((a, b) => a - b) };
}

async function churnSize(backend: Backend): Promise<{ bytes: number; afterHalf: number; detail: string | undefined }> {
  const { store, size, sizeDetail, cleanup } = await backend.open(500);
  try {
    const keys = 1_000;
    const updates = 200_000;
    const revs = new Map<number, number>();
    for (let k = 0; k < keys; k++) revs.set(k, await store.create(`/registry/churn/${k}`, JSON.stringify({ v: 0, pad: 'x'.repeat(400) })));
    let next = 0;
    let afterHalf = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < updates) {
          const i = next++;
          const k = i % keys;
          const rev = await store.update(`/registry/churn/${k}`, JSON.stringify({ v: i, pad: 'x'.repeat(400) }), revs.get(k) as number);
          revs.set(k, rev);
          if (i === updates / 2) afterHalf = size();
        }
      }),
    );
    // Let the last compaction finish before measuring.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return { bytes: size(), afterHalf, detail: await sizeDetail?.() };
  } finally {
    await store.close();
    await cleanup();
  }
}

async function run(backend: Backend): Promise<void> {
  console.log(`\n== ${backend.name}`);
  const { store, cleanup } = await backend.open(60_000);
  try {
    const single = await createsPerSecond(store, 1, 2_000, '/registry/single/');
    console.log(`creates/s, 1 writer:    ${fmt(single)}`);
    const many = await createsPerSecond(store, 64, 50_000, '/registry/pods/default/');
    console.log(`creates/s, 64 writers:  ${fmt(many)}`);
    // etcd's own benchmark (etcdctl check perf --load xl) uses 1,000 clients.
    const xl = await createsPerSecond(store, 1_000, 50_000, '/registry/pods/xl/');
    console.log(`creates/s, 1,000 writers: ${fmt(xl)}`);
    const keys = Array.from({ length: 10_000 }, (_, i) => `/registry/pods/default/${i}`);
    const reads = await readsPerSecond(store, keys, 200_000, 64);
    console.log(`point reads/s (64 concurrent): ${fmt(reads)}`);
    const listTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const { items } = await store.list('/registry/pods/default/', { limit: 10_000 });
      listTimes.push(performance.now() - started);
      if (items.length !== 10_000) throw new Error(`listed ${items.length} keys`);
    }
    listTimes.sort((a, b) => a - b);
    console.log(`list of 10,000 keys:    ${fmt(percentile(listTimes, 50), 1)} ms (median of 10)`);
    const { delivered, acked } = await watchLatency(store, 1_000, 200);
    console.log(
      `watch delivery, 1,000 watchers: p50 ${fmt(percentile(delivered, 50), 2)} ms, p99 ${fmt(percentile(delivered, 99), 2)} ms ` +
        `(${fmt(delivered.length)} deliveries; the writes themselves: p50 ${fmt(percentile(acked, 50), 2)} ms, p99 ${fmt(percentile(acked, 99), 2)} ms)`,
    );
  } finally {
    await store.close();
    await cleanup();
  }
  const { bytes, afterHalf, detail } = await churnSize(backend);
  console.log(`size after 200,000 updates of 1,000 keys: ${mib(bytes)} (after 100,000: ${mib(afterHalf)})`);
  if (detail) console.log(`  of which: ${detail}`);
}

const wanted = process.argv.slice(2);
for (const backend of backends) {
  if (wanted.length === 0 || wanted.includes(backend.name)) await run(backend);
}
console.log(`\nmachine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}`);
