/**
 * A real etcd (Debian's /usr/bin/etcd, v3.4) for tests and benchmarks: one member on free
 * loopback ports with its own temporary data directory. It can be halted and started again on
 * the same ports and data, for tests of "etcd goes down and comes back".
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePorts } from './free_port.js';

export const ETCD_BINARY = process.env.KTS_TEST_ETCD ?? '/usr/bin/etcd';

/**
 * Server certificate files; with them etcd serves https and requires client certificates
 * signed by `caFile`. The readiness probe presents the server certificate as its client
 * certificate, so it must allow clientAuth too (tls_certs.ts makes such a one).
 */
export interface EtcdServerTls {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export interface StartEtcdOptions {
  tls?: EtcdServerTls;
  /** How long to wait for etcd to answer. Default 30s. */
  readyTimeoutMs?: number;
}

export interface EtcdProcess {
  /** The client URL, `http://127.0.0.1:PORT` (https with TLS). */
  readonly endpoint: string;
  readonly dataDir: string;
  /** PID of the running etcd; changes on restart. */
  readonly pid: number;
  /** Stops etcd and keeps its data (SIGKILL: a crash, the default; SIGTERM: a clean stop). */
  halt(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts etcd again (halting it first if needed) on the same ports and data, and waits until it answers. */
  restart(): Promise<void>;
  /** Stops etcd for good and removes its data directory. */
  stop(): Promise<void>;
}

/** Every etcd this process started, so that none outlives the test run. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-etcd-'));
  // A free port may be taken again before etcd binds it; a fresh pair usually does it.
  for (let attempt = 1; ; attempt++) {
    const [clientPort, peerPort] = (await freePorts(2)) as [number, number];
    const member = new EtcdMember(dataDir, clientPort, peerPort, options);
    try {
      await member.start();
      return member;
    } catch (err) {
      await member.halt();
      fs.rmSync(path.join(dataDir, 'member'), { recursive: true, force: true });
      if (attempt === 3 || !String(err).includes('address already in use')) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        throw err;
      }
    }
  }
}

class EtcdMember implements EtcdProcess {
  readonly endpoint: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private output = '';

  constructor(
    readonly dataDir: string,
    private readonly clientPort: number,
    private readonly peerPort: number,
    private readonly options: StartEtcdOptions,
  ) {
    this.endpoint = `${options.tls ? 'https' : 'http'}://127.0.0.1:${clientPort}`;
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  async start(): Promise<void> {
    const peer = `http://127.0.0.1:${this.peerPort}`;
    const args = [
      '--name=kts-test',
      `--data-dir=${this.dataDir}`,
      `--listen-client-urls=${this.endpoint}`,
      `--advertise-client-urls=${this.endpoint}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=kts-test=${peer}`,
      '--initial-cluster-state=new',
      '--logger=zap',
      '--log-level=error',
    ];
    const tls = this.options.tls;
    if (tls) {
      args.push(`--cert-file=${tls.certFile}`, `--key-file=${tls.keyFile}`, `--trusted-ca-file=${tls.caFile}`, '--client-cert-auth');
    }
    const child = spawn(ETCD_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    running.add(child);
    const keep = (chunk: Buffer) => {
      // The last few KiB are enough to say why etcd would not start.
      this.output = (this.output + chunk.toString()).slice(-8192);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exitCode: number | string | null | undefined;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        exitCode = code ?? signal;
        resolve();
      });
      child.once('error', (err) => {
        running.delete(child);
        exitCode = err.message;
        resolve();
      });
    });

    const deadline = Date.now() + (this.options.readyTimeoutMs ?? 30_000);
    while (!(await this.healthy())) {
      if (exitCode !== undefined) throw new Error(`etcd exited (${exitCode}) before it answered:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`etcd on ${this.endpoint} did not answer in time:\n${this.output}`);
      await sleep(50);
    }
  }

  async halt(signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(child.pid, signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(killer);
    }
  }

  async restart(): Promise<void> {
    await this.halt();
    await this.start();
  }

  async stop(): Promise<void> {
    await this.halt();
    await fs.promises.rm(this.dataDir, { recursive: true, force: true });
  }

  /** Whether etcd's /health says it has a leader and serves requests. */
  private healthy(): Promise<boolean> {
    const tls = this.options.tls;
    const get = tls ? https.get : http.get;
    const tlsOptions = tls
      ? { ca: fs.readFileSync(tls.caFile), cert: fs.readFileSync(tls.certFile), key: fs.readFileSync(tls.keyFile) }
      : {};
    return new Promise((resolve) => {
      const request = get(`${this.endpoint}/health`, { ...tlsOptions, timeout: 1_000 }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(response.statusCode === 200 && body.includes('"health":"true"')));
      });
      request.on('error', () => resolve(false));
      request.on('timeout', () => request.destroy());
    });
  }
}
