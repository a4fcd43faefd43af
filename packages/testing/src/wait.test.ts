import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitUntil } from './wait.js';

describe('waitUntil', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves with the first value that is neither undefined nor false', async () => {
    const answers = [undefined, false, 0, 'late'];
    const check = vi.fn(() => answers.shift());
    const waiting = waitUntil('an answer', check, 1_000, 100);
    await vi.advanceTimersByTimeAsync(200);
    expect(await waiting).toBe(0);
    expect(check).toHaveBeenCalledTimes(3);
  });

  it('fails after the timeout, with the last error the check threw as the cause', async () => {
    const boom = new Error('not yet');
    const waiting = waitUntil(
      'the impossible',
      () => {
        throw boom;
      },
      500,
      100,
    );
    const failure = waiting.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(700);
    expect(await failure).toMatchObject({
      message: 'timed out after 500 ms waiting for the impossible',
      cause: boom,
    });
  });
});
