import { createHash } from 'node:crypto';
import type { ProbeSpec } from '@vigil/core';

/** Stable across key order and processes; ignores `source`, so moving a probe in its file is no change. */
export function probeHash(p: ProbeSpec): string {
  const { source: _source, ...rest } = p;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex').slice(0, 16);
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
