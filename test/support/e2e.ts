/**
 * One `kts server` per end-to-end test file: `useKtsServer()` inside a describe block starts it
 * before the tests and stops it after, and gives kubectl helpers that fail the test with
 * kubectl's stderr and the server's log.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { kubectlFor, type Kubectl } from './kubectl.js';
import { startKtsServer, type KtsServer } from './kts_server.js';

export interface E2eCluster {
  readonly server: KtsServer;
  readonly kubectl: Kubectl;
  /** Runs kubectl, fails the test unless it succeeds; resolves to its stdout. */
  readonly ok: (args: string[], input?: string, env?: Record<string, string>) => Promise<string>;
  /** Runs kubectl, fails the test if it succeeds; resolves to its stderr. */
  readonly fails: (args: string[], input?: string) => Promise<string>;
}

export function useKtsServer(extraArgs: string[] = []): E2eCluster {
  let server: KtsServer | undefined;
  let kubectl: Kubectl | undefined;
  before(async () => {
    server = await startKtsServer(extraArgs);
    kubectl = kubectlFor(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });
  const cluster: E2eCluster = {
    get server(): KtsServer {
      if (!server) throw new Error('the kts server is not started yet');
      return server;
    },
    get kubectl(): Kubectl {
      if (!kubectl) throw new Error('the kts server is not started yet');
      return kubectl;
    },
    ok: async (args, input, env) => {
      const result = await cluster.kubectl(args, { input, env });
      assert.equal(
        result.code,
        0,
        `kubectl ${args.join(' ')} failed:\n${result.stderr}\n--- server log ---\n${cluster.server.log().slice(-3000)}`,
      );
      return result.stdout;
    },
    fails: async (args, input) => {
      const result = await cluster.kubectl(args, { input });
      assert.notEqual(result.code, 0, `kubectl ${args.join(' ')} should have failed:\n${result.stdout}`);
      return result.stderr;
    },
  };
  return cluster;
}
