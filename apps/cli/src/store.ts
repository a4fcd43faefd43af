import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDb, type DbHandle } from '@vigil/db';

/** Where embedded state lives (PGlite data, logs, outbox and report files): VIGIL_STATE_DIR or ./.vigil */
export function stateDir(): string {
  return resolve(process.env.VIGIL_STATE_DIR ?? '.vigil');
}

/** DATABASE_URL when set, else the embedded PGlite database under the state dir. */
export function openStore(dir = stateDir()): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  if (url) return openDb({ url });
  mkdirSync(dir, { recursive: true });
  return openDb({ dataDir: join(dir, 'pgdata') });
}
