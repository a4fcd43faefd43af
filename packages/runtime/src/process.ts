import type { Logger } from 'pino';

export function requireEnv(name: string): string {
  const v = process.env[name];
  if (!v) {
    console.error(`vigil: environment variable ${name} is required`);
    process.exit(2);
  }
  return v;
}

export function readEnvNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`vigil: environment variable ${name} must be a positive number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

/** SIGTERM/SIGINT → close once, then exit; a second signal exits at once. */
export function onShutdown(log: Logger, close: () => Promise<void>): void {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) process.exit(1);
    closing = true;
    log.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err: (err as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
