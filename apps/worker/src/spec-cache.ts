import type { ProbeSpec } from '@vigil/core';

export interface StoredSpec {
  id: string;
  hash: string;
  spec: ProbeSpec;
}

/**
 * Probe specs by id, refreshed when a job names a hash the cache has not seen. While the store is
 * unreachable the last known spec keeps probing going (a Postgres outage must not stop measurements).
 */
export class SpecCache {
  private readonly byId = new Map<string, StoredSpec>();

  constructor(private readonly load: (ids: string[]) => Promise<StoredSpec[]>) {}

  async get(id: string, hash: string): Promise<ProbeSpec | null> {
    const cached = this.byId.get(id);
    if (cached && cached.hash === hash) return cached.spec;
    try {
      for (const s of await this.load([id])) this.byId.set(s.id, s);
    } catch (err) {
      if (cached) return cached.spec;
      throw err;
    }
    return this.byId.get(id)?.spec ?? null;
  }

  set(entries: StoredSpec[]): void {
    for (const e of entries) this.byId.set(e.id, e);
  }
}
