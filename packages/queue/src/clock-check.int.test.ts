import { describe, expect, it } from 'vitest';
import { REDIS_URL } from '@vigil/testing';
import { assertClockInSync, measureClockOffset } from './clock-check.js';

describe('clock check against Redis', () => {
  it('accepts this machine, whose clock is Redis’s', async () => {
    await expect(assertClockInSync(REDIS_URL)).resolves.toBeUndefined();
  });

  it('measures a clock running 3 s fast as 3 s ahead', async () => {
    const offset = await measureClockOffset(REDIS_URL, () => Date.now() + 3000);
    expect(offset).toBeGreaterThan(2500);
    expect(offset).toBeLessThan(3500);
  });
});
