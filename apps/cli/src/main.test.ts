import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from './main.js';

/** The real program with every action replaced, so only option parsing runs. */
async function parse(
  args: string[],
): Promise<{ error: CommanderError | null; stderr: string; opts: unknown }> {
  const program = buildProgram();
  let stderr = '';
  let opts: unknown = null;
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride().configureOutput({ writeErr: (s) => (stderr += s), writeOut: () => undefined });
    cmd.showHelpAfterError(false);
    if (cmd !== program) cmd.action((...a: unknown[]) => void (opts = a.at(-2)));
  }
  try {
    await program.parseAsync(['node', 'vigil', ...args]);
    return { error: null, stderr, opts };
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    return { error: err, stderr, opts };
  }
}

const invalid = (flags: string, value: string, expected: string) =>
  `error: option '${flags}' argument '${value}' is invalid. ${expected}\n`;
const POSITIVE = 'expected a positive integer';
const PORT = 'expected a port from 0 to 65535';
const DURATION = 'expected a duration like "30m" or "2h", more than 0 and at most 365d';

describe('every numeric, duration and enum option is checked when the command line is parsed', () => {
  it.each([
    [['run', '--concurrency', 'abc'], invalid('--concurrency <n>', 'abc', POSITIVE)],
    [['run', '--concurrency', '0'], invalid('--concurrency <n>', '0', POSITIVE)],
    [['incidents', '--limit', 'abc'], invalid('--limit <n>', 'abc', POSITIVE)],
    [['incidents', '--limit', '-1'], invalid('--limit <n>', '-1', POSITIVE)],
    [
      ['simulate', '--scenario', 'nope'],
      "error: option '--scenario <name>' argument 'nope' is invalid. Allowed choices are fleet, demo.\n",
    ],
    [['simulate', '--port', '70000'], invalid('--port <n>', '70000', PORT)],
    [['simulate', '--https-port', 'x'], invalid('--https-port <n>', 'x', PORT)],
    [['demo', '--port', '-1'], invalid('--port <n>', '-1', PORT)],
    [['demo', '--https-port', '1.5'], invalid('--https-port <n>', '1.5', PORT)],
    [['silence', 'x', '--for', '99999999999d'], invalid('--for <duration>', '99999999999d', DURATION)],
    [['silence', 'x', '--for', '0s'], invalid('--for <duration>', '0s', DURATION)],
    [['silence', 'x', '--for', '2 hours'], invalid('--for <duration>', '2 hours', DURATION)],
    [
      ['report', 'weekly', '--tz', 'Mars/Olympus'],
      invalid('--tz <zone>', 'Mars/Olympus', 'expected an IANA time zone like "Europe/Berlin" or "UTC"'),
    ],
    [
      ['report', 'yearly'],
      "error: command-argument value 'yearly' is invalid for argument 'kind'. Allowed choices are weekly, monthly, quarterly.\n",
    ],
  ])('%j', async (args, message) => {
    const r = await parse(args);
    expect(r.stderr).toBe(message);
    expect(r.error?.exitCode).toBe(1);
  });

  it.each([
    [['run'], { concurrency: 100 }],
    [['run', '--concurrency', '8'], { concurrency: 8 }],
    [['incidents'], { limit: 50 }],
    [['incidents', '--limit', '5'], { limit: 5 }],
    [['simulate'], { port: 4010, httpsPort: 4443, scenario: 'demo' }],
    [['simulate', '--port', '0', '--scenario', 'fleet'], { port: 0, scenario: 'fleet' }],
    [['silence', 'x', '--for', '1h30m'], { for: 5_400_000 }],
    [['report', 'weekly', '--tz', 'Europe/Berlin'], { tz: 'Europe/Berlin' }],
  ])('%j gives the action %j', async (args, expected) => {
    const r = await parse(args);
    expect(r.error).toBeNull();
    expect(r.opts).toMatchObject(expected);
  });
});
