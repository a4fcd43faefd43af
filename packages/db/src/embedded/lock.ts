import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Who holds a state dir, as written in its lock file. */
export interface LockHolder {
  pid: number;
  /** the process' start time in clock ticks since boot (Linux /proc), so a reused pid is not taken for it */
  startTicks: string | null;
  hostname: string;
  /** the command that holds it, e.g. `run` or `status` */
  command: string;
  /** `serving`: other commands reach the store through `socket`; `exclusive`: they wait for the release */
  mode: 'serving' | 'exclusive';
  /** epoch ms */
  since: number;
  /** the folder of the Postgres socket (`.s.PGSQL.5432`), once the holder serves */
  socket?: string;
}

export const LOCK_FILE = 'vigil.lock';
const TAKEOVER_STALE_MS = 5_000;

/** The lock of a state dir, held by this process until release(). */
export class StoreLock {
  private released = false;
  constructor(
    readonly path: string,
    private info: LockHolder,
  ) {}

  get holder(): LockHolder {
    return this.info;
  }

  /** Rewrites the lock file atomically (a reader sees the old or the new content, never half). */
  async update(patch: Partial<LockHolder>): Promise<void> {
    this.info = { ...this.info, ...patch };
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, JSON.stringify(this.info), { mode: 0o600 });
    await rename(tmp, this.path);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const current = await readHolder(this.path);
    if (current !== 'absent' && current !== 'unreadable' && sameProcess(current, this.info)) {
      await unlink(this.path).catch(ignoreMissing);
    }
  }
}

export type AcquireResult = { lock: StoreLock } | { holder: LockHolder };

/**
 * Takes the lock of `dir` for this process, or says who holds it. A lock whose process is gone (killed,
 * crashed, or its pid reused by another program) is taken over; when several processes find the same stale
 * lock, exactly one of them removes it and all of them race fairly for the new one.
 */
export async function acquireStoreLock(
  dir: string,
  who: Pick<LockHolder, 'command' | 'mode'>,
): Promise<AcquireResult> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, LOCK_FILE);
  const info: LockHolder = {
    pid: process.pid,
    startTicks: await startTicksOf(process.pid),
    hostname: hostname(),
    command: who.command,
    mode: who.mode,
    since: Date.now(),
  };
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await createExclusively(path, info)) return { lock: new StoreLock(path, info) };
    const holder = await readHolder(path);
    if (holder === 'absent') continue;
    if (holder !== 'unreadable' && (await isAlive(holder))) return { holder };
    await removeStale(path, holder);
  }
  throw new Error(`cannot take the lock ${path}: it keeps changing hands`);
}

/** The holder of `dir`'s lock when that process is alive, else null. */
export async function liveHolder(dir: string): Promise<LockHolder | null> {
  const holder = await readHolder(join(dir, LOCK_FILE));
  if (holder === 'absent' || holder === 'unreadable') return null;
  return (await isAlive(holder)) ? holder : null;
}

/** A hard link of a complete temp file: the lock appears with its whole content or not at all. */
async function createExclusively(path: string, info: LockHolder): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(tmp, JSON.stringify(info), { mode: 0o600 });
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(tmp).catch(ignoreMissing);
  }
}

/**
 * Removes a stale lock under a short-lived guard, after checking again that the file still names the
 * same dead process: without the guard, a slow taker could delete the lock a faster one just created.
 */
async function removeStale(path: string, seen: LockHolder | 'unreadable'): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    await mkdir(guard);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const age = await stat(guard).then((s) => Date.now() - s.mtimeMs, ignoreMissingStat);
    if (age !== null && age > TAKEOVER_STALE_MS) await rmdir(guard).catch(ignoreMissing);
    await pause(10 + Math.random() * 20);
    return;
  }
  try {
    const again = await readHolder(path);
    if (again === 'absent') return;
    const unchanged =
      again === 'unreadable' ? seen === 'unreadable' : seen !== 'unreadable' && sameProcess(again, seen);
    if (unchanged && (again === 'unreadable' || !(await isAlive(again))))
      await unlink(path).catch(ignoreMissing);
  } finally {
    await rmdir(guard).catch(ignoreMissing);
  }
}

async function readHolder(path: string): Promise<LockHolder | 'absent' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
  try {
    const v = JSON.parse(text) as LockHolder;
    return typeof v.pid === 'number' && typeof v.hostname === 'string' ? v : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function sameProcess(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.hostname === b.hostname && a.startTicks === b.startTicks && a.since === b.since;
}

/** Alive = same host, the pid exists, and (where /proc tells) it is the process that wrote the lock. */
async function isAlive(h: LockHolder): Promise<boolean> {
  if (h.hostname !== hostname()) return true; // a process on another host cannot be checked: never steal
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const now = await procStat(h.pid);
  if (now === null) return true;
  if (now.state === 'Z' || now.state === 'X') return false; // killed, not yet reaped by its parent
  return h.startTicks === null || now.startTicks === h.startTicks;
}

async function startTicksOf(pid: number): Promise<string | null> {
  return (await procStat(pid))?.startTicks ?? null;
}

/** Fields 3 and 22 of /proc/<pid>/stat (after the parenthesised command name, which may hold spaces). */
async function procStat(pid: number): Promise<{ state: string; startTicks: string } | null> {
  let s: string;
  try {
    s = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // no /proc (macOS) or the process is gone: kill(pid, 0) decides
  }
  const fields = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', startTicks: fields[19] ?? '' };
}

function ignoreMissing(err: unknown): void {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
}

function ignoreMissingStat(err: unknown): null {
  ignoreMissing(err);
  return null;
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
