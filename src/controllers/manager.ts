/**
 * The controller manager: the table of controllers kts runs, each started with the API client
 * and stopped by one AbortSignal. A new controller is one file in this folder and one row here.
 */
import type { Logger } from 'pino';
import type { ApiClient } from '../client/api_client.js';
import { NamespaceController } from './namespace.js';

export interface Controller {
  readonly name: string;
  /** Runs until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
}

export const CONTROLLERS: readonly ((client: ApiClient, logger?: Logger) => Controller)[] = [
  (client, logger) => new NamespaceController(client, logger),
];

/** Runs every controller until `signal` aborts; a controller that fails is logged, not fatal. */
export async function runControllers(client: ApiClient, signal: AbortSignal, logger?: Logger): Promise<void> {
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
