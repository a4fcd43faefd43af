export interface Deadline {
  /** aborts when the deadline passes or the parent signal aborts */
  signal: AbortSignal;
  timedOut(): boolean;
  dispose(): void;
}

/** One overall deadline for a run, linked to an optional caller signal (e.g. worker shutdown). */
export function startDeadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort(new DeadlineError(timeoutMs));
  }, timeoutMs);
  const onParent = (): void => ac.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal: ac.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

export class DeadlineError extends Error {
  readonly code = 'PROBE_DEADLINE';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs}ms`);
  }
}

/** Resolves when `signal` aborts; never rejects. */
export function whenAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
