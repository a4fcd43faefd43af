import { destination, pino, type Logger } from 'pino';

export type { Logger };

/** The one structured logger: JSON lines, fixed messages, data in snake_case fields. */
export function createLogger(app: string, opts: { level?: string; destination?: string } = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? 'info';
  if (opts.destination) {
    return pino({ base: { app }, level }, destination({ dest: opts.destination, mkdir: true, sync: false }));
  }
  return pino({ base: { app }, level });
}
