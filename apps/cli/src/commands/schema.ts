import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { configJsonSchema } from '@vigil/config';
import { probeKindSchemas } from '@vigil/probes';

export function renderSchema(): string {
  return `${JSON.stringify(configJsonSchema(probeKindSchemas), null, 2)}\n`;
}

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of probe files (committed as probes/schema.json)')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (opts: { out?: string }) => {
      const text = renderSchema();
      if (opts.out) await writeFile(opts.out, text);
      else process.stdout.write(text);
    });
}
