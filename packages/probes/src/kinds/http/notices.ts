import type { ResponseNotices } from '@vigil/core';
import type { ResponseHeaders } from './exchange.js';

const LINK_MAX = 300;

/**
 * The deprecation and sunset an HTTP response announces: `Deprecation: @1735689600` (RFC 9745, a structured
 * date; older drafts sent `true` or an HTTP-date), `Sunset: <HTTP-date>` (RFC 8594) and the `Link` with
 * rel="deprecation" or rel="sunset". Null when the response says neither.
 */
export function responseNotices(headers: ResponseHeaders): ResponseNotices | null {
  const deprecation = first(headers.deprecation);
  const sunset = first(headers.sunset);
  if (deprecation === undefined && sunset === undefined) return null;
  return {
    deprecated: deprecation !== undefined,
    deprecatedAt: deprecation === undefined ? null : deprecationDate(deprecation),
    sunsetAt: sunset === undefined ? null : httpDate(sunset),
    link: noticeLink(headers.link),
  };
}

function first(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined ? undefined : s.trim();
}

function deprecationDate(v: string): number | null {
  const at = /^@(-?\d{1,15})$/.exec(v);
  if (at) return Number(at[1]) * 1000;
  return httpDate(v);
}

function httpDate(v: string): number | null {
  if (!/[a-z]{3},? .*\d{4}/i.test(v)) return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

function noticeLink(v: string | string[] | undefined): string | null {
  const text = Array.isArray(v) ? v.join(', ') : v;
  if (text === undefined) return null;
  for (const m of text.matchAll(/<([^>]*)>\s*((?:;[^,<]*)*)/g)) {
    if (/;\s*rel\s*=\s*"?[^";,]*\b(deprecation|sunset)\b/i.test(m[2] ?? '')) {
      const url = m[1] ?? '';
      return url.length > LINK_MAX ? `${url.slice(0, LINK_MAX)}…` : url;
    }
  }
  return null;
}

/** `deprecated since 2025-01-01, sunset on 2025-12-31 (see https://…)`: one line for a log or a report. */
export function describeNotices(n: ResponseNotices): string {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const parts: string[] = [];
  if (n.deprecated)
    parts.push(n.deprecatedAt === null ? 'deprecated' : `deprecated since ${day(n.deprecatedAt)}`);
  if (n.sunsetAt !== null) parts.push(`sunset on ${day(n.sunsetAt)}`);
  else if (!n.deprecated) parts.push('sunset announced');
  return `${parts.join(', ')}${n.link ? ` (see ${n.link})` : ''}`;
}

/**
 * Remembers which probes already announced a deprecation or sunset, so a process warns once per probe
 * (and again only when what the endpoint says changes), never per run.
 */
export class NoticeLog {
  private readonly seen = new Map<string, string>();

  /** the warning to log for this result, or null when there is none or it was already given */
  warning(r: { probeId: string; notices?: ResponseNotices | null }): string | null {
    if (!r.notices) return null;
    const text = describeNotices(r.notices);
    if (this.seen.get(r.probeId) === text) return null;
    this.seen.set(r.probeId, text);
    return text;
  }
}
