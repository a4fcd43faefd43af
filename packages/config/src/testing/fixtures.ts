import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { formatDiagnostic } from '../diagnostics.js';
import { loadConfig } from '../load.js';
import { testKinds } from './kinds.js';
import type { LoadResult } from '../types.js';

export const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures');

export const testChannelTypes = {
  slack: z.strictObject({ type: z.literal('slack'), webhook: z.string() }),
  email: z.strictObject({ type: z.literal('email'), to: z.array(z.email()).min(1) }),
};

/** Loads one fixture folder as a config root; `env.json` in it, when present, turns on the env check. */
export async function loadFixture(dir: string): Promise<{ result: LoadResult; lines: string[] }> {
  const envFile = path.join(dir, 'env.json');
  const env = existsSync(envFile)
    ? (JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, string>)
    : undefined;
  const result = await loadConfig({ root: dir, kinds: testKinds, channelTypes: testChannelTypes, env });
  return { result, lines: result.diagnostics.map(formatDiagnostic) };
}
