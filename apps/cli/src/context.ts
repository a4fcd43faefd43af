import { statSync } from 'node:fs';
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

/** The config folder (-C, VIGIL_CONFIG_DIR, else the working directory); a usage error when it is not a folder. */
export function configRoot(cmd: Command): string {
  const root = resolve(globalOpts(cmd).configDir);
  const problem = folderProblem(root);
  if (problem === null) return root;
  const from =
    rootCommand(cmd).getOptionValueSource('configDir') === 'cli'
      ? '-C'
      : process.env.VIGIL_CONFIG_DIR !== undefined
        ? 'VIGIL_CONFIG_DIR'
        : 'the working directory';
  usageExit(`config folder ${root} (${from}): ${problem}`);
}

function rootCommand(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
}

function folderProblem(path: string): string | null {
  try {
    return statSync(path).isDirectory() ? null : 'not a folder';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such folder';
    return `cannot read it (${code ?? 'EIO'})`;
  }
}

/** Prints `vigil: <message>` and exits 2, the status of every usage error. */
export function usageExit(message: string): never {
  console.error(`vigil: ${message}`);
  process.exit(2);
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
