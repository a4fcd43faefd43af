import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { BenchError } from './errors.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildOptions {
  /** shown in errors and the log file name */
  name: string;
  /** an entry point relative to the repository root (or absolute); .ts files run with `node --import tsx` */
  entry: string;
  env: Record<string, string>;
  /** every stdout/stderr line is appended here */
  logFile: string;
  nodeArgs?: string[];
}

export interface Child {
  name: string;
  pid: number;
  /** resolves with the first stdout line (JSON log) or IPC message `accept` returns true for */
  waitFor(accept: (msg: unknown) => boolean, timeoutMs: number): Promise<unknown>;
  /** sends an IPC message and resolves with the next reply of type `${type}:reply` */
  ask(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  send(msg: Record<string, unknown>): void;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

/** Starts a TypeScript entry point as a child process with an IPC channel and its output in `logFile`. */
export function startChild(o: ChildOptions): Child {
  const loader = o.entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const proc: ChildProcess = spawn(process.execPath, [...(o.nodeArgs ?? []), ...loader, o.entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (proc.pid === undefined) throw new BenchError('CHILD_EXIT', `${o.name} did not start`);
  const log = createWriteStream(o.logFile, { flags: 'a' });
  const listeners = new Set<(msg: unknown) => void>();
  const emit = (msg: unknown) => {
    for (const l of [...listeners]) l(msg);
  };
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    log.write(`${line}\n`);
    emit(parseLine(line));
  });
  proc.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
  proc.on('message', emit);
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      emit({ type: 'exit', code });
      log.end();
      resolve(code);
    });
  });

  const waitFor = (accept: (msg: unknown) => boolean, timeoutMs: number): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(
          new BenchError('CHILD_TIMEOUT', `${o.name} not ready within ${timeoutMs} ms (see ${o.logFile})`),
        );
      }, timeoutMs);
      const listener = (msg: unknown) => {
        const exit = isExit(msg);
        if (!exit && !accept(msg)) return;
        clearTimeout(timer);
        listeners.delete(listener);
        if (exit)
          reject(new BenchError('CHILD_EXIT', `${o.name} exited (code ${exit.code}); see ${o.logFile}`));
        else resolve(msg);
      };
      listeners.add(listener);
    });

  return {
    name: o.name,
    pid: proc.pid,
    waitFor,
    async ask(type, timeoutMs = 10_000) {
      const reply = waitFor((m) => isType(m, `${type}:reply`), timeoutMs);
      proc.send({ type });
      return (await reply) as Record<string, unknown>;
    },
    send(msg) {
      if (proc.connected) proc.send(msg);
    },
    async stop(graceMs = 15_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    exited,
  };
}

export function isType(msg: unknown, type: string): boolean {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === type;
}

/** A pino line with this `msg`. */
export function isLog(msg: unknown, text: string): boolean {
  return typeof msg === 'object' && msg !== null && (msg as { msg?: unknown }).msg === text;
}

function isExit(msg: unknown): { code: number | null } | null {
  return isType(msg, 'exit') ? (msg as { code: number | null }) : null;
}

function parseLine(line: string): unknown {
  if (!line.startsWith('{')) return { line };
  try {
    return JSON.parse(line) as unknown;
  } catch (err) {
    return { line, parseError: String(err) };
  }
}
