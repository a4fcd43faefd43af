import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check.js';
import { registerDemo } from './commands/demo.js';
import { registerIncidents } from './commands/incidents.js';
import { registerMigrate } from './commands/migrate.js';
import { registerPlan } from './commands/plan.js';
import { registerRun } from './commands/run.js';
import { registerSchema } from './commands/schema.js';
import { registerSilence } from './commands/silence.js';
import { registerSimulate } from './commands/simulate.js';
import { registerReport } from './commands/report.js';
import { registerStatus } from './commands/status.js';
import { registerValidate } from './commands/validate.js';

export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Synthetic uptime monitoring for the third-party APIs you depend on')
    .option(
      '-C, --config-dir <dir>',
      'folder holding vigil.yaml and probes/',
      process.env.VIGIL_CONFIG_DIR ?? '.',
    )
    .showHelpAfterError();
  registerValidate(program);
  registerPlan(program);
  registerCheck(program);
  registerRun(program);
  registerMigrate(program);
  registerSchema(program);
  registerStatus(program);
  registerIncidents(program);
  registerSilence(program);
  registerReport(program);
  registerSimulate(program);
  registerDemo(program);
  return program;
}

/**
 * `vigil plan | head`: once the reader is gone, end quietly (as `git log | head` does) with the exit
 * status decided so far, instead of an unhandled EPIPE.
 */
export function endQuietlyWhenReaderGoes(stream: NodeJS.WriteStream): void {
  let gone = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && !gone) throw err;
    gone = true;
    process.exit(process.exitCode ?? 0);
  });
}

export async function main(argv: string[]): Promise<void> {
  endQuietlyWhenReaderGoes(process.stdout);
  endQuietlyWhenReaderGoes(process.stderr);
  const program = buildProgram();
  // subcommands copy settings when created, so the override is set on each: every usage error exits 2
  for (const cmd of [program, ...program.commands]) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
    const cause = (err as Error).cause as Error | undefined;
    console.error(`vigil: ${(err as Error).message}${cause?.message ? ` (${cause.message})` : ''}`);
    process.exit(1);
  }
}
