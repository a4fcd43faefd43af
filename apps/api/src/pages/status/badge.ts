import { escapeHtml } from '../../html.js';

/** shields.io's named colours, as they render them. */
export const BADGE_COLORS = {
  brightgreen: '#4c1',
  green: '#97ca00',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  blue: '#007ec6',
  lightgrey: '#9f9f9f',
} as const;
export type BadgeColor = keyof typeof BADGE_COLORS;

export interface Badge {
  label: string;
  message: string;
  color: BadgeColor;
}

/** Width of `s` in Verdana 11 px, near enough for a badge (shields measures the same font). */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    if (/[ilj.,:;'|!]/.test(ch)) w += 3.2;
    else if (/[ frt()[\]{}\-/]/.test(ch)) w += 4.6;
    else if (/[mwMW%@]/.test(ch)) w += 10.2;
    else if (/[A-Z]/.test(ch)) w += 7.6;
    else if (/[0-9a-z]/.test(ch)) w += 6.6;
    else w += 7.5;
  }
  return Math.ceil(w);
}

const clip = (s: string, max = 60) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** A flat badge as well-formed SVG: label on grey, message on its colour, every text escaped. */
export function badgeSvg(b: Badge): string {
  const label = clip(b.label);
  const message = clip(b.message);
  const lw = textWidth(label) + 10;
  const mw = textWidth(message) + 10;
  const w = lw + mw;
  const text = escapeHtml(`${label}: ${message}`);
  // shields' layout: text at 10x scale, a shadow line under the white one, fitted to its measured width
  const t = (s: string, x: number, width: number) => {
    const attrs = `x="${x * 10}" transform="scale(.1)" textLength="${(width - 10) * 10}"`;
    return (
      `<text ${attrs} y="150" fill="#010101" fill-opacity=".3">${escapeHtml(s)}</text>` +
      `<text ${attrs} y="140" fill="#fff">${escapeHtml(s)}</text>`
    );
  };
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${text}">` +
    `<title>${text}</title>` +
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>` +
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${BADGE_COLORS[b.color]}"/><rect width="${w}" height="20" fill="url(#s)"/></g>` +
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="110">` +
    t(label, lw / 2, lw) +
    t(message, lw + mw / 2, mw) +
    `</g></svg>`
  );
}

/** The shields.io endpoint document of the same badge. */
export const badgeJson = (b: Badge) => ({
  schemaVersion: 1 as const,
  label: b.label,
  message: b.message,
  color: b.color,
});
