import type { ProbeSpec } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { SpecCache, type StoredSpec } from './spec-cache.js';

const stored = (id: string, hash = 'h1'): StoredSpec => ({ id, hash, spec: { id, name: hash } as ProbeSpec });

function cacheOver(store: Map<string, StoredSpec>) {
  const calls: string[][] = [];
  let failing = false;
  const cache = new SpecCache(async (ids) => {
    calls.push(ids);
    if (failing) throw new Error('postgres down');
    return ids.flatMap((id) => (store.has(id) ? [store.get(id)!] : []));
  });
  return { cache, calls, fail: () => (failing = true) };
}

describe('spec cache', () => {
  it('loads misses that arrive together in one query, then serves them from memory', async () => {
    const store = new Map(['a', 'b', 'c'].map((id) => [id, stored(id)]));
    const { cache, calls } = cacheOver(store);
    const specs = await Promise.all(['a', 'b', 'c', 'a'].map((id) => cache.get(id, 'h1')));
    expect(specs.map((s) => s?.id)).toEqual(['a', 'b', 'c', 'a']);
    expect(calls).toEqual([['a', 'b', 'c']]);
    await cache.get('b', 'h1');
    expect(calls).toHaveLength(1);
  });

  it('reloads a spec when a job names a hash it has not seen', async () => {
    const store = new Map([['a', stored('a', 'h1')]]);
    const { cache, calls } = cacheOver(store);
    await cache.get('a', 'h1');
    store.set('a', stored('a', 'h2'));
    expect((await cache.get('a', 'h2'))?.name).toBe('h2');
    expect(calls).toHaveLength(2);
  });

  it('keeps probing with the last known spec while the store is down, and fails for an unknown one', async () => {
    const store = new Map([['a', stored('a', 'h1')]]);
    const { cache, fail } = cacheOver(store);
    await cache.get('a', 'h1');
    fail();
    expect((await cache.get('a', 'h2'))?.name).toBe('h1');
    await expect(cache.get('b', 'h1')).rejects.toThrow('postgres down');
  });

  it('answers null for a probe the store does not have', async () => {
    const { cache } = cacheOver(new Map());
    expect(await cache.get('gone', 'h1')).toBeNull();
  });
});
