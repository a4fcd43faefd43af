import { describe, expect, it } from 'vitest';
import { isSilenced } from './silences.js';

const MIN = 60_000;
const T = Date.parse('2025-03-03T10:00:00Z');

describe('silences', () => {
  const s = { target: 'stripe', startsAt: new Date(T), endsAt: new Date(T + 2 * 3_600_000) };
  const row = {
    id: 'inc_1',
    key: 'stripe-balance',
    provider: 'stripe',
    service: 'payments',
    probeId: 'stripe-balance',
  };
  it.each([
    ['while active', T + MIN, true],
    ['before it starts', T - 1, false],
    ['once it ended', T + 2 * 3_600_000, false],
  ])('holds back an incident of the silenced provider %s', (_n, at, expected) => {
    expect(isSilenced([s], row, at)).toBe(expected);
  });
  it('holds back by incident id too', () => {
    expect(isSilenced([{ ...s, target: 'inc_1' }], { ...row, provider: 'x' }, T + 1)).toBe(true);
  });
  it('holds back the self-check alert of a silenced region (its monitor incident is keyed by region)', () => {
    const region = { ...s, target: 'eu-west' };
    const monitor = { id: 'inc_2', key: 'eu-west', provider: null, service: null, probeId: null };
    expect(isSilenced([region], monitor, T + 1)).toBe(true);
    expect(isSilenced([region], { ...monitor, key: 'us-east' }, T + 1)).toBe(false);
  });
});
