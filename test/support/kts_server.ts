/**
 * Starts the real `kts server` (the compiled CLI, as users run it) for end-to-end tests: a
 * temporary data dir, a free loopback port, `--disable-agent`; waits for the admin kubeconfig
 * and a ready API, and stops the process by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free_port.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface KtsServer {
  port: number;
  dataDir: string;
  kubeconfig: string;
  pid: number;
  /** What the server logged so far (stderr). */
  log(): string;
  stop(): Promise<void>;
}

export async function startKtsServer(extraArgs: string[] = []): Promise<KtsServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-e2e-'));
  const port = await freePort();
  const proc: ChildProcess = spawn(
    process.execPath,
    [CLI, 'server', '--data-dir', dataDir, '--bind-address', '127.0.0.1', '--https-port', String(port), '--disable-agent', ...extraArgs],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, KTS_LOG_LEVEL: 'info' } },
  );
  let log = '';
  proc.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!log.includes('kts server is ready')) {
    if (proc.exitCode !== null) throw new Error(`kts server exited with ${proc.exitCode}:\n${log}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`kts server did not become ready in time:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', () => proc.kill('SIGKILL'));
  return { port, dataDir, kubeconfig: path.join(dataDir, 'kubeconfig.yaml'), pid: proc.pid as number, log: () => log, stop };
}
