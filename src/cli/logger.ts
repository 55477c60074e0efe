/**
 * The process logger of the kts command: pino, one JSON object per line, on stderr (stdout
 * stays free for a command's output). Written synchronously, so nothing is lost when the
 * process exits right after logging. KTS_LOG_LEVEL sets the level (default info).
 */
import pino, { type Logger } from 'pino';

export function createLogger(name: string): Logger {
  return pino(
    { name, level: process.env.KTS_LOG_LEVEL ?? 'info' },
    pino.destination({ dest: 2, sync: true }),
  );
}
