import { join, resolve } from 'node:path';
import { openDb, type DbHandle } from '@vigil/db';

/** Where embedded state lives (PGlite data, logs, outbox and report files): VIGIL_STATE_DIR or ./.vigil */
export function stateDir(): string {
  return resolve(process.env.VIGIL_STATE_DIR ?? '.vigil');
}

/** DATABASE_URL when set, else the embedded PGlite database under the state dir. */
export function openStore(dir = stateDir()): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  return url ? openDb({ url }) : openDb({ dataDir: join(dir, 'pgdata') });
}
