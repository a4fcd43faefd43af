import { describe, expect, it } from 'vitest';
import { DEFAULT_FLAP_POLICY, isFlapping } from '@vigil/core';
import { flapPolicy, incidentPolicy } from './policy.js';

const MIN = 60_000;

describe('policy from vigil.yaml', () => {
  it('opens on M of N and resolves after the recovery count', () => {
    const p = incidentPolicy({ failures: { failures: 3, window: 5 }, recovery: 2, reminder: 7_200_000 }, MIN);
    expect(p).toMatchObject({
      open: { m: 3, n: 5 },
      resolveAfter: 2,
      reminderEveryMs: 7_200_000,
      flap: DEFAULT_FLAP_POLICY,
    });
  });

  it('flaps at the configured number of state changes within the window, not before', () => {
    const policy = flapPolicy({ changes: 5, window: 20 * MIN }, MIN);
    expect(policy.window).toBe(20);
    expect(
      isFlapping([...Array<boolean>(14).fill(false), true, false, true, false, true, false], false, policy),
    ).toBe(true);
    expect(isFlapping([...Array<boolean>(16).fill(false), true, false, true, false], false, policy)).toBe(
      false,
    );
  });
});
