import type { Command } from 'commander';
import { formatDiagnostic } from '@vigil/config';
import { loadVigilConfig } from '@vigil/runtime';
import { configRoot } from '../context.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description(
      'check vigil.yaml and probe files; report every problem as file:line:col path: message (exit 2 on error)',
    )
    .argument('[paths...]', 'probe files or folders, relative to the config dir', [])
    .option('--no-env', 'do not require the ${env:…} variables the probes reference')
    .action(async (paths: string[], opts: { env: boolean }, cmd: Command) => {
      const root = configRoot(cmd);
      const { config, diagnostics } = await loadVigilConfig(
        { root, paths: paths.length > 0 ? paths : undefined },
        opts.env ? process.env : undefined,
      );
      for (const d of diagnostics)
        (d.severity === 'error' ? console.error : console.warn)(formatDiagnostic(d));
      const errors = diagnostics.filter((d) => d.severity === 'error').length;
      if (!config || errors > 0) {
        console.error(`${errors} error${errors === 1 ? '' : 's'}`);
        process.exitCode = 2;
        return;
      }
      console.log(
        `ok: ${config.probes.length} probes in ${config.files.length} files, regions ${config.regions.join(', ')}`,
      );
    });
}
