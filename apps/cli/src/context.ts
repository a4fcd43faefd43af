import { resolve } from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic, type VigilConfig } from '@vigil/config';
import { loadVigilConfig } from '@vigil/runtime';

export interface GlobalOptions {
  configDir: string;
}

export function globalOpts(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

export function configRoot(cmd: Command): string {
  return resolve(globalOpts(cmd).configDir);
}

/** Loads the config or prints every diagnostic and exits 2. */
export async function loadOrExit(root: string, paths?: string[], strictEnv = false): Promise<VigilConfig> {
  const { config, diagnostics } = await loadVigilConfig({ root, paths }, strictEnv ? process.env : undefined);
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  if (!config || diagnostics.some((d) => d.severity === 'error')) {
    const n = diagnostics.filter((d) => d.severity === 'error').length;
    console.error(`vigil: ${n} configuration error${n === 1 ? '' : 's'}`);
    process.exit(2);
  }
  return config;
}
