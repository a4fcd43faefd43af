import { fork, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface ChildMessage {
  type: string;
  [k: string]: unknown;
}

export interface WorkerChild {
  process: ChildProcess;
  messages: ChildMessage[];
  /** the first message (already received or coming) that satisfies `pred` */
  next(pred: (m: ChildMessage) => boolean, timeoutMs?: number): Promise<ChildMessage>;
  send(m: ChildMessage): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const script = fileURLToPath(new URL('../fixtures/worker-child.ts', import.meta.url));

/**
 * Forks fixtures/worker-child.ts (a worker role) and resolves once it reports ready; with `netns`, the
 * child runs inside that network namespace (`ip netns exec`, same IPC channel). A child that does not
 * get ready within `readyMs` (@defaultValue 30 000) is killed.
 */
export async function startWorkerChild(
  env: Record<string, string>,
  o: { netns?: string; readyMs?: number } = {},
): Promise<WorkerChild> {
  const opts = {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as StdioOptions,
  };
  const child = o.netns
    ? spawn('ip', ['netns', 'exec', o.netns, process.execPath, '--import', 'tsx', script], opts)
    : fork(script, [], { ...opts, execArgv: ['--import', 'tsx'] });
  const messages: ChildMessage[] = [];
  const waiters = new Set<() => void>();
  child.on('message', (m: ChildMessage) => {
    messages.push(m);
    for (const w of [...waiters]) w();
  });
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  const next = (pred: (m: ChildMessage) => boolean, timeoutMs = 20_000) =>
    new Promise<ChildMessage>((resolve, reject) => {
      const check = () => {
        const m = messages.find(pred);
        if (!m) return;
        done();
        resolve(m);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`worker child: no expected message within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      void exited.then((e) => {
        if (waiters.has(check)) {
          done();
          reject(new Error(`worker child exited (${e.code ?? e.signal}) before the expected message`));
        }
      });
      waiters.add(check);
      check();
    });
  const w: WorkerChild = {
    process: child,
    messages,
    next,
    send: (m) => child.send(m),
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  try {
    await next((m) => m.type === 'ready', o.readyMs ?? 30_000);
  } catch (err) {
    await w.kill('SIGKILL');
    throw err;
  }
  return w;
}
