import { afterEach, describe, expect, it } from 'vitest';
import type { VigilConfig } from '@vigil/config';
import { createLogger } from '@vigil/runtime';
import { manualClock } from '@vigil/testing';
import type { ApiDeps } from './deps.js';
import { sharedStatus, snapshot, SNAPSHOT_FRESH_MS, SNAPSHOT_STALE_MS } from './snapshot.js';
import { apiHarness, config, spec, type ApiHarness } from './testing/harness.js';

/** A read whose every call is recorded and settled by the test. */
function controlledRead() {
  const calls: { at: number; resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const read = (at: number) =>
    new Promise<string>((resolve, reject) => {
      calls.push({ at, resolve, reject });
    });
  return { calls, read };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('snapshot', () => {
  const clock = manualClock('2025-03-03T10:00:00Z');
  const warnings: string[] = [];
  const log = createLogger('test', { level: 'silent' });
  log.warn = ((_o: unknown, msg: string) => void warnings.push(msg)) as typeof log.warn;
  const deps = () => ({ clock, log }) as unknown as ApiDeps;
  const cfg = {} as VigilConfig;

  it('reads once for concurrent callers, then serves the value while it is fresh', async () => {
    const d = deps();
    const { calls, read } = controlledRead();
    const a = snapshot(d, 'k', cfg, read);
    const b = snapshot(d, 'k', cfg, read);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve('v1');
    expect(await a).toBe('v1');
    expect(await b).toBe('v1');
    clock.advance(SNAPSHOT_FRESH_MS - 1);
    expect(await snapshot(d, 'k', cfg, read)).toBe('v1');
    expect(calls).toHaveLength(1);
  });

  it('serves a stale value at once while one background read refreshes it', async () => {
    const d = deps();
    const { calls, read } = controlledRead();
    const first = snapshot(d, 'k', cfg, read);
    calls[0]!.resolve('v1');
    await first;
    const t0 = clock.now();
    clock.advance(SNAPSHOT_FRESH_MS);
    // stale: the old value now, without waiting, and one read started at the current time
    expect(await snapshot(d, 'k', cfg, read)).toBe('v1');
    expect(await snapshot(d, 'k', cfg, read)).toBe('v1');
    expect(calls.map((c) => c.at - t0)).toEqual([0, SNAPSHOT_FRESH_MS]);
    calls[1]!.resolve('v2');
    await settle();
    expect(await snapshot(d, 'k', cfg, read)).toBe('v2');
    expect(calls).toHaveLength(2);
  });

  it('makes a caller wait when the value is too old or the config changed', async () => {
    const d = deps();
    const { calls, read } = controlledRead();
    const first = snapshot(d, 'k', cfg, read);
    calls[0]!.resolve('v1');
    await first;
    clock.advance(SNAPSHOT_STALE_MS);
    let done = false;
    const waited = snapshot(d, 'k', cfg, read).then((v) => ((done = true), v));
    await settle();
    expect(done).toBe(false);
    calls[1]!.resolve('v2');
    expect(await waited).toBe('v2');
    // a reload is read at once, whatever the age
    const reloaded = { ...cfg } as VigilConfig;
    const again = snapshot(d, 'k', reloaded, read);
    expect(calls).toHaveLength(3);
    calls[2]!.resolve('v3');
    expect(await again).toBe('v3');
  });

  it('keeps the last value when a background read fails, and does not keep a failed first read', async () => {
    const d = deps();
    const { calls, read } = controlledRead();
    const first = snapshot(d, 'k', cfg, read);
    calls[0]!.reject(new Error('connection refused'));
    await expect(first).rejects.toThrow('connection refused');
    const second = snapshot(d, 'k', cfg, read);
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('v1');
    expect(await second).toBe('v1');
    clock.advance(SNAPSHOT_FRESH_MS);
    expect(await snapshot(d, 'k', cfg, read)).toBe('v1');
    calls[2]!.reject(new Error('timeout'));
    await settle();
    expect(warnings).toContain('snapshot refresh failed; serving the last one');
    expect(await snapshot(d, 'k', cfg, read)).toBe('v1');
    // the failed refresh is not pending any more: the next stale request tries again
    expect(calls).toHaveLength(4);
  });

  it('keeps keys apart', async () => {
    const d = deps();
    const { calls, read } = controlledRead();
    const a = snapshot(d, 'a', cfg, read);
    const b = snapshot(d, 'b', cfg, read);
    calls[0]!.resolve('A');
    calls[1]!.resolve('B');
    expect([await a, await b]).toEqual(['A', 'B']);
  });
});

describe('sharedStatus', () => {
  let h: ApiHarness;
  afterEach(() => h.close());

  it("is the evaluator's status, refreshed after the evaluator moves on", async () => {
    h = await apiHarness({ config: config([spec()]) });
    const first = await sharedStatus(h.deps, h.config);
    expect(first.probes.map((p) => p.key)).toEqual(['stripe-balance']);
    await h.run(0, 3, () => 'down');
    // minutes later: older than the stale bound, so the caller waits for a new read
    const later = await sharedStatus(h.deps, h.config);
    expect(later.at).toBe(h.clock.now());
    expect(later.probes[0]!.state).toBe('down');
    expect(first.probes[0]!.state).not.toBe('down');
  });
});
