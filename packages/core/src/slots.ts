import type { EpochMs } from './types.js';

/** FNV-1a 32-bit: stable across processes and versions, so offsets never move between deploys. */
export function stableHash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Deterministic start offset of a probe within its interval, so 10,000 probes do not fire at once. */
export function slotOffsetMs(probeId: string, everyMs: number): number {
  return stableHash32(probeId) % everyMs;
}

/** The slot of an interval probe that contains `at`: slots are `k * everyMs + offset`. */
export function slotContaining(at: EpochMs, everyMs: number, offsetMs: number): EpochMs {
  return Math.floor((at - offsetMs) / everyMs) * everyMs + offsetMs;
}

/** The first slot strictly after `at`. */
export function nextSlotAfter(at: EpochMs, everyMs: number, offsetMs: number): EpochMs {
  return slotContaining(at, everyMs, offsetMs) + everyMs;
}
