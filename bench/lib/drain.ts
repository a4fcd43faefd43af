import { countResults } from './services.js';
import { sleep } from './time.js';

const DRAIN_POLL_MS = 500;

/** Waits until the window's runs are stored (or the deadline passes: what is missing then was missed). */
export async function drainResults(
  url: string,
  slots: { from: number; to: number },
  expected: number,
  deadline: number,
): Promise<void> {
  while (Date.now() < deadline) {
    if ((await countResults(url, slots)) >= expected) return;
    await sleep(DRAIN_POLL_MS);
  }
}
