export class WaitTimeoutError extends Error {
  readonly code = 'WAIT_TIMEOUT';
  constructor(
    readonly what: string,
    readonly expected: number,
    readonly got: number,
    readonly timeoutMs: number,
  ) {
    super(`expected ${expected} ${what} within ${timeoutMs} ms, got ${got}`);
  }
}

/** A list that can be awaited until it holds `n` items. */
export class WaitableList<T> {
  readonly items: T[] = [];
  private waiters = new Set<() => void>();

  constructor(private readonly what: string) {}

  push(item: T): void {
    this.items.push(item);
    for (const w of [...this.waiters]) w();
  }

  waitFor(n: number, timeoutMs: number): Promise<T[]> {
    if (this.items.length >= n) return Promise.resolve(this.items.slice(0, n));
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.items.length < n) return;
        done();
        resolve(this.items.slice(0, n));
      };
      const timer = setTimeout(() => {
        done();
        reject(new WaitTimeoutError(this.what, n, this.items.length, timeoutMs));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }
}

/**
 * Polls `check` every `everyMs` until it returns a value other than undefined/false (which it resolves
 * with), or rejects after `timeoutMs` with the last error `check` threw as the cause.
 */
export async function waitUntil<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`, { cause: last });
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
