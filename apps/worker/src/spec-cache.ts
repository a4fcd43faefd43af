import type { ProbeSpec } from '@vigil/core';

export interface StoredSpec {
  id: string;
  hash: string;
  spec: ProbeSpec;
}

/**
 * Probe specs by id, refreshed when a job names a hash the cache has not seen. Misses that arrive
 * together (hundreds of probes sharing a slot) are loaded in one query. While the store is unreachable
 * the last known spec keeps probing going (a Postgres outage must not stop measurements).
 */
export class SpecCache {
  private readonly byId = new Map<string, StoredSpec>();
  private pending: { ids: Set<string>; loaded: Promise<void> } | null = null;

  constructor(private readonly load: (ids: string[]) => Promise<StoredSpec[]>) {}

  async get(id: string, hash: string): Promise<ProbeSpec | null> {
    const cached = this.byId.get(id);
    if (cached && cached.hash === hash) return cached.spec;
    try {
      await this.loadWithOthers(id);
    } catch (err) {
      if (cached) return cached.spec;
      throw err;
    }
    return this.byId.get(id)?.spec ?? null;
  }

  set(entries: StoredSpec[]): void {
    for (const e of entries) this.byId.set(e.id, e);
  }

  private loadWithOthers(id: string): Promise<void> {
    if (this.pending) {
      this.pending.ids.add(id);
      return this.pending.loaded;
    }
    const ids = new Set([id]);
    const loaded = new Promise<void>((resolve, reject) => {
      setImmediate(() => {
        this.pending = null;
        this.load([...ids]).then((found) => {
          this.set(found);
          resolve();
        }, reject);
      });
    });
    this.pending = { ids, loaded };
    return loaded;
  }
}
