/**
 * `kts server`: a whole cluster in one process. For now it opens the configured store, reports
 * that storage is ready, and holds it until SIGINT or SIGTERM; the API server, controllers,
 * scheduler and agent join here as they are written.
 *
 * Exit codes: 0 after a requested shutdown, 1 when the server cannot start or fails, 2 for
 * invalid flags (reported by main.ts's commander setup).
 */
import { Command } from 'commander';
import type { Logger } from 'pino';
import { startApiServer } from '../apiserver/start.js';
import { ApiClient } from '../client/api_client.js';
import { runControllers } from '../controllers/manager.js';
import { describeStore, openStore, StoreOpenError } from '../storage/open_store.js';
import { isStorageError } from '../storage/store.js';
import { createLogger } from './logger.js';
import {
  addServerFlags,
  ConfigError,
  currentEnvironment,
  parseServerConfig,
  type ServerConfig,
  type ServerFlags,
} from './server_config.js';

export function serverCommand(): Command {
  const cmd = new Command('server').description(
    'run a single-node cluster: API server, controllers, scheduler and agent, in one process',
  );
  addServerFlags(cmd).action(async (flags: ServerFlags) => {
    const config = parseOrReport(cmd, flags);
    const logger = createLogger('kts');
    process.exitCode = await runServerUntilSignalled(config, logger);
  });
  return cmd;
}

/** Parses the flags; invalid ones are reported through commander, like its own usage errors. */
function parseOrReport(cmd: Command, flags: ServerFlags): ServerConfig {
  try {
    return parseServerConfig(flags, currentEnvironment());
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return cmd.error(err.problems.map((p) => `error: ${p}`).join('\n'), { exitCode: 2, code: 'kts.invalidFlags' });
  }
}

/** Runs the server until SIGINT or SIGTERM; a second signal exits at once. Resolves to an exit code. */
async function runServerUntilSignalled(config: ServerConfig, logger: Logger): Promise<number> {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop.signal.aborted) {
      logger.warn({ signal }, `received ${signal} again: exiting without a clean shutdown`);
      process.exit(1);
    }
    logger.info({ signal }, `received ${signal}: shutting down`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runServer(config, logger, stop.signal);
    return 0;
  } catch (err) {
    if (stop.signal.aborted) {
      // Asked to stop while starting (say, while waiting for etcd): not a failure.
      logger.info('kts server stopped before it was ready');
      return 0;
    }
    if (err instanceof StoreOpenError || isStorageError(err)) {
      // Known failures carry a message that says it all; a stack trace would only bury it.
      logger.error(err.message);
    } else {
      logger.error({ err }, `kts server failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Starts the server's parts, holds them until `signal` aborts, then stops them in reverse. */
export async function runServer(config: ServerConfig, logger: Logger, signal: AbortSignal): Promise<void> {
  const where = describeStore(config.store);
  logger.info(
    { dataDir: config.dataDir, store: config.store.backend, nodeName: config.nodeName },
    `starting kts server (data dir ${config.dataDir})`,
  );
  const store = await openStore(config.store, { logger, signal });
  try {
    const revision = await store.currentRevision();
    logger.info(
      { store: config.store.backend, [config.store.backend === 'sqlite' ? 'path' : 'endpoints']: where, revision },
      `storage ready: ${config.store.backend} ${where} at revision ${revision}`,
    );
    const { server, kubeconfigPath, componentClient } = await startApiServer({
      store,
      dataDir: config.dataDir,
      bindAddress: config.bindAddress,
      port: config.httpsPort,
      logger,
    });
    // The controller manager talks to the API like any client, as its own user.
    const client = new ApiClient(await componentClient('system:kube-controller-manager', ['system:masters']));
    const controllers = runControllers(client, signal, logger.child({ component: 'controller-manager' }));
    try {
      logger.info(
        { address: `https://${config.bindAddress}:${server.port}`, kubeconfig: kubeconfigPath },
        `kts server is ready: API at https://${config.bindAddress}:${server.port}, admin kubeconfig ${kubeconfigPath}`,
      );
      await abortion(signal);
    } finally {
      await controllers;
      client.close();
      await server.stop();
    }
  } finally {
    await store.close();
  }
  logger.info('kts server stopped');
}

/** Resolves when `signal` aborts (the API server's socket keeps the process alive meanwhile). */
function abortion(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
