import { afterEach, beforeEach, expect, it } from 'vitest';
import { sharedStatus, STATUS_MAX_AGE_MS } from './snapshot.js';
import { apiHarness, config, spec, type ApiHarness } from './testing/harness.js';

let h: ApiHarness;
beforeEach(async () => {
  h = await apiHarness({ config: config([spec()]) });
});
afterEach(() => h.close());

it('reads the status once for concurrent callers and reuses it only while young and for the same config', async () => {
  const cfg = h.config;
  const a = sharedStatus(h.deps, cfg);
  expect(sharedStatus(h.deps, cfg)).toBe(a);
  const first = await a;
  h.clock.advance(STATUS_MAX_AGE_MS - 1);
  expect(await sharedStatus(h.deps, cfg)).toBe(first);
  h.clock.advance(1);
  const later = await sharedStatus(h.deps, cfg);
  expect(later).not.toBe(first);
  expect(later.at).toBe(first.at + STATUS_MAX_AGE_MS);
  // a new config (a reload) is read at once, whatever the age
  const reloaded = { ...cfg };
  expect(await sharedStatus(h.deps, reloaded)).not.toBe(later);
});
