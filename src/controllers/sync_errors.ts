/**
 * How controllers log a failed sync: a Conflict (a cache a step behind the server) is an
 * ordinary outcome that the retry resolves, so it is logged at debug level; the rest warn.
 */
import type { Logger } from 'pino';
import { isStatusError } from '../api/errors.js';

export function logSyncError(logger: Logger | undefined, message: string, key: string, err: unknown): void {
  if (isStatusError(err, 'Conflict')) logger?.debug({ err, key }, message);
  else logger?.warn({ err, key }, message);
}
