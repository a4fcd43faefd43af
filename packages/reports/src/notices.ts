import { DateTime } from 'luxon';
import type { ReportNotice } from './types.js';

/** At most this many notices are listed in the email and the text; the rest are counted. */
export const NOTICE_LINES = 10;

const day = (at: number, tz: string) => DateTime.fromMillis(at, { zone: tz }).toFormat('d LLL yyyy');

/**
 * `deprecated since 1 Oct 2026, sunset 1 Mar 2027 (in 90 days) — https://…` for a probe whose responses
 * carried `Deprecation` / `Sunset` headers: the provider's own warning, before the endpoint stops.
 */
export function noticeText(n: ReportNotice, tz: string, at: number): string {
  const parts: string[] = [];
  if (n.notices.deprecated)
    parts.push(
      n.notices.deprecatedAt === null ? 'deprecated' : `deprecated since ${day(n.notices.deprecatedAt, tz)}`,
    );
  if (n.notices.sunsetAt !== null) {
    const days = Math.ceil((n.notices.sunsetAt - at) / 86_400_000);
    parts.push(
      `sunset ${day(n.notices.sunsetAt, tz)} (${days > 0 ? `in ${days} day${days === 1 ? '' : 's'}` : 'passed'})`,
    );
  }
  return `${parts.join(', ')}${n.notices.link ? ` — ${n.notices.link}` : ''}`;
}
