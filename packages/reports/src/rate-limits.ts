import { duration } from './format.js';
import type { ProviderRateLimitReport } from './types.js';

const count = (n: number) => n.toLocaleString('en-US');
const share = (f: number) => `${Number((f * 100).toFixed(f < 0.001 && f > 0 ? 3 : 1))}%`;

/** `hour`, `minute`, `day`, else the duration: what one budget window is called. */
export function budgetWindowText(perMs: number): string {
  return perMs === 3_600_000
    ? 'hour'
    : perMs === 60_000
      ? 'minute'
      : perMs === 86_400_000
        ? 'day'
        : duration(perMs);
}

/**
 * One provider's requests as every renderer prints them: "10,080 requests; busiest hour 62 of 1,000
 * (6.2% of the budget); HTTP 429: 3 (0.03% of runs); not sent: 5 deferred by Retry-After".
 */
export function rateLimitText(r: ProviderRateLimitReport): string {
  const parts = [`${count(r.requests)} requests`];
  if (r.budget)
    parts.push(
      `busiest ${budgetWindowText(r.budget.perMs)} ${count(r.peak?.requests ?? 0)} of ${count(r.budget.requests)} (${share(r.peakShare ?? 0)} of the budget)`,
    );
  else parts.push('no budget set');
  parts.push(`HTTP 429: ${count(r.http429)}${r.share429 === null ? '' : ` (${share(r.share429)} of runs)`}`);
  const notSent = [
    r.notSent.deferred ? `${count(r.notSent.deferred)} deferred by Retry-After` : '',
    r.notSent.budget ? `${count(r.notSent.budget)} held back by the budget` : '',
  ].filter(Boolean);
  if (notSent.length) parts.push(`not sent: ${notSent.join(', ')}`);
  return parts.join('; ');
}
