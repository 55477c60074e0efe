/**
 * The controller manager: the table of controllers kts runs, each started with the API client
 * and stopped by one AbortSignal. A new controller is one file in this folder and one row here.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { ApiClient } from '../client/api_client.js';
import { EndpointSliceController } from './endpoint_slice.js';
import { EndpointsController } from './endpoints.js';
import { GarbageCollector } from './garbage_collector.js';
import { DeploymentController } from './deployment.js';
import { NamespaceController } from './namespace.js';
import { REPLICATION_CONTROLLERS, ReplicaSetController } from './replica_set.js';
import { ServiceAccountController } from './service_account.js';

export interface Controller {
  readonly name: string;
  /** Runs until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
}

export const CONTROLLERS: readonly ((client: ApiClient, logger?: Logger) => Controller)[] = [
  (client, logger) => new NamespaceController(client, logger),
  (client, logger) => new ReplicaSetController(client, undefined, logger),
  (client, logger) => new ReplicaSetController(client, REPLICATION_CONTROLLERS, logger),
  (client, logger) => new DeploymentController(client, logger),
  (client, logger) => new GarbageCollector(client, logger),
  (client, logger) => new ServiceAccountController(client, logger),
  (client, logger) => new EndpointsController(client, logger),
  (client, logger) => new EndpointSliceController(client, logger),
];

/** Runs every controller until `signal` aborts; a controller that fails is logged, not fatal. */
export async function runControllers(client: ApiClient, signal: AbortSignal, logger?: Logger): Promise<void> {
  // Every informer's watch and every work queue listens on this one signal: dozens, by design.
  setMaxListeners(0, signal);
  await Promise.all(
    CONTROLLERS.map(async (make) => {
      const controller = make(client, logger);
      try {
        await controller.run(signal);
      } catch (err) {
        logger?.error({ err, controller: controller.name }, `controller ${controller.name} stopped`);
      }
    }),
  );
}
