import { resolve } from 'node:path';
import { describeHolder, openDb, openEmbeddedStore, type DbHandle } from '@vigil/db';

/** Where embedded state lives (PGlite data, logs, outbox and report files): VIGIL_STATE_DIR or ./.vigil */
export function stateDir(): string {
  return resolve(process.env.VIGIL_STATE_DIR ?? '.vigil');
}

export interface StoreOptions {
  /** the command opening the store, named to other commands that find it busy */
  command: string;
  dir?: string;
  /** own the embedded store and serve it to other commands (`vigil run`); refuse when another process does */
  serve?: boolean;
}

/**
 * DATABASE_URL when set, else the embedded PGlite database under the state dir: opened by this process
 * when no other holds it, or reached through the `vigil run` that owns it.
 */
export function openStore(o: StoreOptions): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  if (url) return openDb({ url });
  return openEmbeddedStore({
    dir: o.dir ?? stateDir(),
    command: o.command,
    serve: o.serve,
    own: o.serve,
    onWait: (holder) =>
      console.error(`vigil: waiting for ${describeHolder(holder)} to finish with ${o.dir ?? stateDir()}`),
  });
}
