import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One command through redis-cli (only packages/queue may import a Redis client). */
export async function redisCli(url: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-u', url, '--no-raw', ...args]);
  return stdout.trim();
}

export async function streamLength(url: string, key: string): Promise<number> {
  return Number((await redisCli(url, 'XLEN', key)).replace(/^\(integer\) /, ''));
}
