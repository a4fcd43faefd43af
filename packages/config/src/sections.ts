import type { z } from 'zod';
import { describeValue } from './describe.js';
import type { Diagnostics } from './diagnostics.js';
import { check, suggestion } from './issues.js';
import { isMap } from './merge.js';
import type { Path } from './positions.js';
import type { SourceFile } from './source-file.js';

export interface SectionResult {
  /** validated outputs of the keys that passed */
  values: Record<string, unknown>;
  /** raw values of the keys that passed: what a cascade may pass on */
  validRaw: Record<string, unknown>;
  ok: boolean;
}

/**
 * Checks a strict map key by key, so one bad key neither hides the others' problems nor throws away
 * their values. `allKeys` also runs absent keys through their schema (to get their defaults).
 */
export function checkSections(
  source: SourceFile,
  raw: unknown,
  shape: Record<string, z.ZodType>,
  base: Path,
  diags: Diagnostics,
  allKeys: boolean,
): SectionResult {
  const values: Record<string, unknown> = {};
  const validRaw: Record<string, unknown> = {};
  const map = raw === null || raw === undefined ? {} : raw;
  if (!isMap(map)) {
    diags.add(source.at(base, `expected a map, got ${describeValue(raw)}`));
    return { values, validRaw, ok: false };
  }
  let ok = true;
  for (const key of Object.keys(map))
    if (!Object.hasOwn(shape, key)) {
      ok = false;
      diags.add(source.at([...base, key], `unknown key "${key}"${suggestion(key, Object.keys(shape))}`));
    }
  for (const [key, schema] of Object.entries(shape)) {
    if (!allKeys && !Object.hasOwn(map, key)) continue;
    const r = check(schema, map[key], [...base, key]);
    if (r.ok) {
      values[key] = r.value;
      if (Object.hasOwn(map, key)) validRaw[key] = map[key];
    } else {
      ok = false;
      for (const p of r.problems) diags.add(source.at(p.path, p.message));
    }
  }
  return { values, validRaw, ok };
}
