/**
 * `npm run bench:api`: the API server's figures, through the real `kts server` process over
 * HTTPS keep-alive with the admin client certificate, as issue #3 asks: pod create, get, list
 * (1,000 and 30,000 pods, plain and as a Table), merge patch and delete with 32 concurrent
 * clients (throughput, p50, p99), watch delivery with 1,000 watchers, and the server's idle RSS.
 * A benchmark, not a test: it prints numbers. Usage: node dist/bench/api.js [sqlite] [etcd]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { ClientRequest } from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../test/support/free_port.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const CONCURRENCY = 32;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

interface Server {
  port: number;
  pid: number;
  agent: https.Agent;
  stop(): Promise<void>;
}

async function startServer(extra: string[]): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-bench-api-'));
  const port = await freePort();
  const proc: ChildProcess = spawn(
    process.execPath,
    [CLI, 'server', '--data-dir', dataDir, '--bind-address', '127.0.0.1', '--https-port', String(port), '--disable-agent', ...extra],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KTS_LOG_LEVEL: 'warn' } },
  );
  let log = '';
  proc.stderr?.on('data', (c: Buffer) => (log += c.toString()));
  const kubeconfig = path.join(dataDir, 'kubeconfig.yaml');
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(kubeconfig)) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`kts server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 200));
  const config = parseYaml(fs.readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { 'certificate-authority-data': string } }[];
    users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
  };
  const b64 = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64');
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: CONCURRENCY + 8,
    ca: b64(config.clusters[0]?.cluster['certificate-authority-data']),
    cert: b64(config.users[0]?.user['client-certificate-data']),
    key: b64(config.users[0]?.user['client-key-data']),
  });
  return {
    port,
    pid: proc.pid as number,
    agent,
    stop: async () => {
      agent.destroy();
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface Answer {
  status: number;
  body: string;
}

function request(server: Server, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path: urlPath,
        agent: server.agent,
        headers: { Accept: 'application/json', ...(data ? { 'Content-Type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function pod(name: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'bench', tier: 'web' } },
    spec: { containers: [{ name: 'main', image: 'registry.local/busybox:1.36', command: ['sleep', '3600'], ports: [{ containerPort: 80 }] }] },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs `total` calls with CONCURRENCY in flight; returns calls/s and latency percentiles. */
async function load(total: number, call: (i: number) => Promise<Answer>, okStatus: number[]): Promise<string> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = performance.now();
        const answer = await call(i);
        latencies.push(performance.now() - t0);
        if (!okStatus.includes(answer.status)) failures++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const failed = failures ? ` (${failures} failed!)` : '';
  return `${Math.round(total / seconds).toLocaleString('en-US')}/s, p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms${failed}`;
}

async function timeList(server: Server, urlPath: string, accept: string, runs = 5): Promise<string> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const answer = await request(server, 'GET', urlPath, undefined, { Accept: accept });
    times.push(performance.now() - t0);
    bytes = answer.body.length;
  }
  times.sort((a, b) => a - b);
  return `${percentile(times, 50).toFixed(0)} ms median of ${runs} (${(bytes / 1048576).toFixed(1)} MiB)`;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function watchLatency(server: Server, watchers: number, events: number): Promise<string> {
  const ns = '/api/v1/namespaces/default/configmaps';
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  const streams: ClientRequest[] = [];
  let ready = 0;
  const watchAgent = new https.Agent({ ...server.agent.options, keepAlive: false, maxSockets: Infinity });
  await new Promise<void>((resolve) => {
    for (let w = 0; w < watchers; w++) {
      const req = https.request(
        { host: '127.0.0.1', port: server.port, path: `${ns}?watch=true&resourceVersion=0&fieldSelector=metadata.namespace%3Ddefault`, agent: watchAgent },
        (res) => {
          if (++ready === watchers) resolve();
          let buffer = '';
          res.on('data', (chunk: Buffer) => {
            const now = performance.now();
            buffer += chunk.toString();
            let nl;
            while ((nl = buffer.indexOf('\n')) >= 0) {
              const line = buffer.slice(0, nl);
              buffer = buffer.slice(nl + 1);
              const name = /"name":"(wb-\d+)"/.exec(line)?.[1];
              const t = name ? sent.get(name) : undefined;
              if (t !== undefined && line.startsWith('{"type":"ADDED"')) latencies.push(now - t);
            }
          });
        },
      );
      req.end();
      streams.push(req);
    }
  });
  for (let i = 0; i < events; i++) {
    const name = `wb-${i}`;
    sent.set(name, performance.now());
    await request(server, 'POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } });
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 2000));
  for (const s of streams) s.destroy();
  watchAgent.destroy();
  latencies.sort((a, b) => a - b);
  return `p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms (${latencies.length} of ${watchers * events} deliveries)`;
}

async function run(name: string, extra: string[]): Promise<void> {
  console.log(`\n== kts server on ${name}`);
  const server = await startServer(extra);
  try {
    await new Promise((r) => setTimeout(r, 1000));
    console.log(`idle RSS after start: ${rssMiB(server.pid).toFixed(0)} MiB`);
    const podsPath = '/api/v1/namespaces/default/pods';
    console.log(`create pod:       ${await load(10_000, (i) => request(server, 'POST', podsPath, pod(`p-${i}`)), [201])}`);
    console.log(`get pod:          ${await load(30_000, (i) => request(server, 'GET', `${podsPath}/p-${i % 10_000}`), [200])}`);
    console.log(
      `merge patch pod:  ${await load(10_000, (i) => request(server, 'PATCH', `${podsPath}/p-${i}`, { metadata: { labels: { patched: String(i) } } }, { 'Content-Type': 'application/merge-patch+json' }), [200])}`,
    );
    const listed = await request(server, 'GET', `${podsPath}?limit=1000`);
    if (listed.status !== 200) throw new Error(`list failed: ${listed.body.slice(0, 300)}`);
    console.log(`list 1,000 pods:  ${await timeList(server, `${podsPath}?limit=1000`, 'application/json')}`);
    console.log(`  as Table:       ${await timeList(server, `${podsPath}?limit=1000`, TABLE_ACCEPT)}`);
    console.log(`delete pod:       ${await load(10_000, (i) => request(server, 'DELETE', `${podsPath}/p-${i}`), [200])}`);
    // 30,000 pods for the big list.
    await load(30_000, (i) => request(server, 'POST', podsPath, pod(`q-${i}`)), [201]);
    console.log(`list 30,000 pods: ${await timeList(server, podsPath, 'application/json', 3)}`);
    console.log(`  as Table:       ${await timeList(server, podsPath, TABLE_ACCEPT, 3)}`);
    console.log(`  from the watch cache (resourceVersion=0): ${await timeList(server, `${podsPath}?resourceVersion=0`, 'application/json', 3)}`);
    console.log(`watch delivery, 1,000 watchers: ${await watchLatency(server, 1000, 100)}`);
    console.log(`RSS with 30,000 pods: ${rssMiB(server.pid).toFixed(0)} MiB`);
  } finally {
    await server.stop();
  }
}

const wanted = process.argv.slice(2);
if (wanted.length === 0 || wanted.includes('sqlite')) await run('sqlite', []);
if (wanted.length === 0 || wanted.includes('etcd')) {
  const { startEtcd } = await import('../test/support/etcd_process.js');
  const etcd = await startEtcd();
  try {
    await run('etcd', ['--store', 'etcd', '--etcd-endpoints', etcd.endpoint]);
  } finally {
    await etcd.stop();
  }
}
console.log(`\nmachine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}; client in the same machine`);
