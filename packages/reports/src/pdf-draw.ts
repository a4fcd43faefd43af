// Drawing primitives of the PDF report: safe text in pdfkit's standard fonts and the vector charts.
import type { DayCell } from './types.js';

/** The part of a pdfkit document the drawing uses (so the primitives stay testable without a file). */
export type Doc = PDFKit.PDFDocument;

export const INK = '#111827';
export const MUTED = '#6b7280';
export const LINE = '#e5e7eb';
export const GREEN = '#15803d';
export const RED = '#b91c1c';
export const PHASE = [
  { key: 'dnsMs', label: 'DNS', color: '#a78bfa' },
  { key: 'connectMs', label: 'connect', color: '#60a5fa' },
  { key: 'tlsMs', label: 'TLS', color: '#34d399' },
  { key: 'ttfbMs', label: 'first byte', color: '#fbbf24' },
] as const;

const REGULAR = 'Helvetica';
const BOLD = 'Helvetica-Bold';

/** The characters WinAnsiEncoding (pdfkit's standard 14 fonts) has beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

function winAnsi(c: string): boolean {
  const code = c.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(c);
}

/**
 * Text pdfkit's standard fonts can show: they know WinAnsi only, and anything else would print as
 * garbage. Accents are kept when Latin-1 has the letter, else dropped (`Łódź` → `Lódz`); arrows and
 * minus signs get ASCII stand-ins; other characters (CJK, emoji) become `?`; control characters a space.
 */
export function pdfText(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return s;
  let out = '';
  for (const c of s) {
    if (winAnsi(c)) out += c;
    else if (c === '▲') out += '+';
    else if (c === '▼' || c === '−') out += '-';
    else if (c === 'Ł') out += 'L';
    else if (c === 'ł') out += 'l';
    else if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(c)) out += ' ';
    else {
      const base = c.normalize('NFKD').replace(/\p{M}/gu, '');
      out += base !== '' && [...base].every(winAnsi) ? base : '?';
    }
  }
  return out;
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
  /** the text is cut with an ellipsis to this width */
  width?: number;
  align?: 'left' | 'right' | 'center';
}

/** WinAnsiEncoding's bytes for the characters it has beyond Latin-1 (as pdfkit maps them). */
const WIN_ANSI_BYTE: Record<number, number> = {
  402: 131,
  8211: 150,
  8212: 151,
  8216: 145,
  8217: 146,
  8218: 130,
  8220: 147,
  8221: 148,
  8222: 132,
  8224: 134,
  8225: 135,
  8226: 149,
  8230: 133,
  8364: 128,
  8240: 137,
  8249: 139,
  8250: 155,
  710: 136,
  8482: 153,
  338: 140,
  339: 156,
  732: 152,
  352: 138,
  353: 154,
  376: 159,
  381: 142,
  382: 158,
};
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The parts of a pdfkit standard font the text path uses. */
interface StdFont {
  id: string;
  ascender: number;
  ref(): unknown;
  widthOfString(s: string, size: number): number;
}

/**
 * A standard font's advance widths and kerning, per character code, at 1000 units: read lazily from the
 * font (one character, one pair at a time) and then looked up in a Map, where pdfkit builds and hashes a
 * glyph-name string per pair on every measurement (its `getKernPair` was a fifth of the PDF's time).
 */
class Metrics {
  private readonly widths = new Map<number, number>();
  private readonly kerns = new Map<number, number>();
  constructor(readonly font: StdFont) {}

  width(c: number): number {
    let w = this.widths.get(c);
    if (w === undefined) this.widths.set(c, (w = this.font.widthOfString(String.fromCharCode(c), 1000)));
    return w;
  }

  kern(a: number, b: number): number {
    const key = a * 65536 + b;
    let k = this.kerns.get(key);
    if (k === undefined) {
      k = this.font.widthOfString(String.fromCharCode(a, b), 1000) - this.width(a) - this.width(b);
      this.kerns.set(key, (k = Math.round(k * 1000) / 1000));
    }
    return k;
  }

  /** Width of `s` (WinAnsi-safe) at `size`, exactly as pdfkit measures it: advances plus kerning. */
  measure(s: string, size: number): number {
    let w = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      w += this.width(c);
      if (i > 0) w += this.kern(s.charCodeAt(i - 1), c);
    }
    return (w * size) / 1000;
  }
}

interface DocFonts {
  regular: Metrics;
  bold: Metrics;
}
const fontsOf = new WeakMap<Doc, DocFonts | null>();

/** The document's two fonts (null if this pdfkit does not look as expected: then pdfkit's own text). */
function docFonts(doc: Doc): DocFonts | null {
  let f = fontsOf.get(doc);
  if (f !== undefined) return f;
  const get = (name: string): StdFont | null => {
    const font = (doc.font(name) as unknown as { _font?: Partial<StdFont> })._font;
    return font &&
      typeof font.id === 'string' &&
      typeof font.ascender === 'number' &&
      typeof font.ref === 'function' &&
      typeof font.widthOfString === 'function'
      ? (font as StdFont)
      : null;
  };
  const regular = get(REGULAR);
  const bold = get(BOLD);
  f = regular && bold ? { regular: new Metrics(regular), bold: new Metrics(bold) } : null;
  fontsOf.set(doc, f);
  return f;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const rgbCache = new Map<string, string>();

/** `#rrggbb` as the three operands of `rg` / `RG` (DeviceRGB, 0–1). */
function rgbOf(color: string): string {
  let op = rgbCache.get(color);
  if (op === undefined) {
    const n = parseInt(color.slice(1), 16);
    const c = (v: number) => String(Number((v / 255).toFixed(4)));
    op = `${c(n >> 16)} ${c((n >> 8) & 0xff)} ${c(n & 0xff)}`;
    rgbCache.set(color, op);
  }
  return op;
}

const num = (v: number) => String(Math.round(v * 1000) / 1000);

/**
 * One line of text at (x, y) (y is the top of the line); never wraps, never adds a page. Written as one
 * content operation (font, colour, position and the kerned glyph runs, what pdfkit's `text` writes in a
 * dozen), with widths from `Metrics`: ~10 µs a call where pdfkit's `text()` took 40–55 µs.
 */
export function text(doc: Doc, s: string, x: number, y: number, st: TextStyle = {}): void {
  const size = st.size ?? 9;
  const color = st.color ?? INK;
  const fonts = docFonts(doc);
  let line = pdfText(s);
  if (!fonts || !HEX_COLOR.test(color)) {
    pdfkitText(doc, line, x, y, st, size, color);
    return;
  }
  const m = st.bold ? fonts.bold : fonts.regular;
  if (st.width !== undefined) line = fitTo(m, line, size, st.width);
  if (line.length === 0) return;
  let at = x;
  if (st.width !== undefined && st.align && st.align !== 'left') {
    const free = st.width - m.measure(line, size);
    at = x + (st.align === 'right' ? free : free / 2);
  }
  const page = (doc as unknown as { page: { fonts: Record<string, unknown> } }).page;
  page.fonts[m.font.id] ??= m.font.ref();
  let runs = '';
  let hex = '';
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    hex += HEX[c <= 0xff ? c : (WIN_ANSI_BYTE[c] ?? 0x3f)];
    const k = i + 1 < line.length ? m.kern(c, line.charCodeAt(i + 1)) : 0;
    if (k !== 0) {
      runs += `<${hex}> ${num(-k)} `;
      hex = '';
    }
  }
  runs += `<${hex}>`;
  const baseline = y + (m.font.ascender / 1000) * size;
  // the page's coordinates are flipped (y down): the text matrix flips the glyphs back upright
  doc.addContent(
    `BT /${m.font.id} ${num(size)} Tf ${rgbOf(color)} rg 1 0 0 -1 ${num(at)} ${num(baseline)} Tm [${runs}] TJ ET`,
  );
}

/** pdfkit's own text call: the fallback when the fonts do not look as expected. */
function pdfkitText(
  doc: Doc,
  line: string,
  x: number,
  y: number,
  st: TextStyle,
  size: number,
  color: string,
): void {
  doc
    .font(st.bold ? BOLD : REGULAR)
    .fontSize(size)
    .fillColor(color);
  if (st.width !== undefined) line = fit(doc, line, st.width);
  let at = x;
  if (st.width !== undefined && st.align && st.align !== 'left') {
    const free = st.width - doc.widthOfString(line);
    at = x + (st.align === 'right' ? free : free / 2);
  }
  doc.text(line, at, y, { lineBreak: false });
}

/** Cuts `s` (already safe) to `width`, ending in `…`: one pass over the prefix widths. */
function fitTo(m: Metrics, s: string, size: number, width: number): string {
  const limit = (width * 1000) / size;
  const ell = 0x2026;
  let w = 0;
  let best = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (i > 0) w += m.kern(s.charCodeAt(i - 1), c);
    w += m.width(c);
    // the prefix s[0..i] followed by the ellipsis
    if (w + m.kern(c, ell) + m.width(ell) <= limit) best = i;
  }
  if (w <= limit) return s;
  return `${s.slice(0, best + 1).trimEnd()}…`;
}

/** Width of `s` in the document's standard font (what `text` would draw). */
export function textWidth(doc: Doc, s: string, size: number, bold = false): number {
  const fonts = docFonts(doc);
  const line = pdfText(s);
  if (!fonts)
    return doc
      .font(bold ? BOLD : REGULAR)
      .fontSize(size)
      .widthOfString(line);
  return (bold ? fonts.bold : fonts.regular).measure(line, size);
}

/** Cuts `s` (already safe) to `width` in the current font, ending in `…`. */
function fit(doc: Doc, s: string, width: number): string {
  if (doc.widthOfString(s) <= width) return s;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${s.slice(0, mid)}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${s.slice(0, lo).trimEnd()}…`;
}

export function rule(doc: Doc, x: number, y: number, w: number, color = LINE, width = 0.6): void {
  const rgb = HEX_COLOR.test(color) ? rgbOf(color) : null;
  if (!rgb) {
    doc
      .save()
      .moveTo(x, y)
      .lineTo(x + w, y)
      .lineWidth(width)
      .strokeColor(color)
      .stroke()
      .restore();
    return;
  }
  // what pdfkit writes for save, moveTo, lineTo, lineWidth, strokeColor, stroke, restore: as one operation
  doc.addContent(`q ${num(x)} ${num(y)} m ${num(x + w)} ${num(y)} l ${num(width)} w ${rgb} RG S Q`);
}

export function box(doc: Doc, x: number, y: number, w: number, h: number, fill: string): void {
  const rgb = HEX_COLOR.test(fill) ? rgbOf(fill) : null;
  if (!rgb) {
    doc.save().rect(x, y, w, h).fillColor(fill).fill().restore();
    return;
  }
  doc.addContent(`q ${num(x)} ${num(y)} ${num(w)} ${num(h)} re ${rgb} rg f Q`);
}

/** A small coloured label with a tinted background, e.g. `missed`. */
export function badge(doc: Doc, label: string, x: number, y: number, color: string, tint: string): number {
  const w = textWidth(doc, label, 7.5, true) + 8;
  doc.save().roundedRect(x, y, w, 11, 2).fillColor(tint).fill().restore();
  text(doc, label, x + 4, y + 2, { size: 7.5, bold: true, color });
  return w;
}

export function dayColor(d: DayCell): string {
  if (d.status === 'insufficient_data') return '#d1d5db';
  if (d.status === 'missed') return '#dc2626';
  return d.availability === 1 ? '#16a34a' : '#86c98f';
}

export interface Frame {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The lower end of an availability axis: a round percentage under both the target and the worst day. */
export function availabilityFloor(days: readonly DayCell[], target: number): number {
  let low = target;
  for (const d of days)
    if (d.status !== 'insufficient_data' && d.availability !== null) low = Math.min(low, d.availability);
  const span = Math.max(0.01, (1 - low) * 1.25);
  const floor = 1 - span;
  const step = span > 0.2 ? 0.1 : span > 0.05 ? 0.01 : 0.005;
  return Math.max(0, Math.floor(floor / step) * step);
}

/**
 * Daily availability as vertical bars from the axis floor up (green 100%, light green met, red missed,
 * grey: insufficient data, drawn full height so a gap is seen), with the target as a dashed line.
 */
export function availabilityBars(
  doc: Doc,
  f: Frame,
  days: readonly DayCell[],
  target: number,
  labels: { first: string; last: string } | null,
): void {
  const floor = availabilityFloor(days, target);
  const axis = 26;
  const plot = { x: f.x + axis, y: f.y, w: f.w - axis, h: f.h - (labels ? 10 : 0) };
  const yOf = (a: number) => plot.y + plot.h * (1 - (Math.max(a, floor) - floor) / (1 - floor));
  box(doc, plot.x, plot.y, plot.w, plot.h, '#f9fafb');
  const n = Math.max(1, days.length);
  const slot = plot.w / n;
  const gap = slot > 4 ? Math.min(1.5, slot * 0.2) : 0.3;
  days.forEach((d, i) => {
    const x = plot.x + i * slot + gap / 2;
    if (d.status === 'insufficient_data' || d.availability === null) {
      box(doc, x, plot.y, slot - gap, plot.h, '#e5e7eb');
      return;
    }
    const top = Math.min(yOf(d.availability), plot.y + plot.h - 1);
    box(doc, x, top, slot - gap, plot.y + plot.h - top, dayColor(d));
  });
  const ty = yOf(target);
  doc
    .save()
    .moveTo(plot.x, ty)
    .lineTo(plot.x + plot.w, ty)
    .dash(2, { space: 2 })
    .lineWidth(0.6)
    .strokeColor(INK)
    .stroke()
    .undash()
    .restore();
  const pctLabel = (a: number) => `${Number((a * 100).toFixed(1))}%`;
  text(doc, '100%', f.x, plot.y - 1, { size: 6, color: MUTED, width: axis - 3, align: 'right' });
  text(doc, pctLabel(floor), f.x, plot.y + plot.h - 6, {
    size: 6,
    color: MUTED,
    width: axis - 3,
    align: 'right',
  });
  if (labels) {
    text(doc, labels.first, plot.x, plot.y + plot.h + 2, { size: 6, color: MUTED });
    text(doc, labels.last, plot.x, plot.y + plot.h + 2, {
      size: 6,
      color: MUTED,
      width: plot.w,
      align: 'right',
    });
  }
}

/** Daily p95 as a line (a gap where a day has none) against the latency limit, dashed red. */
export function latencyLine(
  doc: Doc,
  f: Frame,
  values: readonly (number | null)[],
  thresholdMs: number,
): void {
  const axis = 30;
  const plot = { x: f.x + axis, y: f.y, w: f.w - axis, h: f.h };
  let max = thresholdMs * 1.2;
  for (const v of values) if (v !== null && v > max) max = v;
  max *= 1.05;
  box(doc, plot.x, plot.y, plot.w, plot.h, '#f9fafb');
  const yOf = (v: number) => plot.y + plot.h * (1 - v / max);
  const n = values.length;
  const xOf = (i: number) => plot.x + (n <= 1 ? plot.w / 2 : (i / (n - 1)) * plot.w);
  const ty = yOf(thresholdMs);
  doc
    .save()
    .moveTo(plot.x, ty)
    .lineTo(plot.x + plot.w, ty)
    .dash(2, { space: 2 })
    .lineWidth(0.6)
    .strokeColor(RED)
    .stroke()
    .undash()
    .restore();
  doc.save().lineWidth(1).strokeColor('#2563eb').lineJoin('round');
  let open = false;
  let single: number[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      open = false;
      return;
    }
    const prevNull = i === 0 || values[i - 1] === null;
    const nextNull = i === n - 1 || values[i + 1] === null;
    if (prevNull && nextNull) single.push(i);
    if (open) doc.lineTo(xOf(i), yOf(v));
    else doc.moveTo(xOf(i), yOf(v));
    open = true;
  });
  doc.stroke().restore();
  if (n <= 31) single = values.flatMap((v, i) => (v === null ? [] : [i]));
  for (const i of single)
    doc.save().circle(xOf(i), yOf(values[i]!), 1.3).fillColor('#2563eb').fill().restore();
  text(doc, `${Math.round(max)} ms`, f.x, plot.y - 1, {
    size: 6,
    color: MUTED,
    width: axis - 3,
    align: 'right',
  });
  text(doc, `${thresholdMs}`, f.x, ty - 3, { size: 6, color: RED, width: axis - 3, align: 'right' });
  text(doc, '0', f.x, plot.y + plot.h - 6, { size: 6, color: MUTED, width: axis - 3, align: 'right' });
}

export interface PhaseSet {
  dnsMs: number;
  connectMs: number;
  tlsMs: number;
  ttfbMs: number;
}

/** One horizontal stacked bar of mean phase times, scaled so `scaleMs` fills the width. */
export function phaseBar(doc: Doc, f: Frame, p: PhaseSet, scaleMs: number): void {
  box(doc, f.x, f.y, f.w, f.h, '#f3f4f6');
  let x = f.x;
  for (const ph of PHASE) {
    const w = (Math.max(0, p[ph.key]) / Math.max(1, scaleMs)) * f.w;
    if (w <= 0) continue;
    box(doc, x, f.y, Math.min(w, f.x + f.w - x), f.h, ph.color);
    x += w;
  }
}

/** The colour key of the phase bars, in one line; returns its width. */
export function phaseLegend(doc: Doc, x: number, y: number): void {
  let at = x;
  for (const ph of PHASE) {
    box(doc, at, y + 1, 7, 7, ph.color);
    text(doc, ph.label, at + 10, y, { size: 7.5, color: MUTED });
    at += 10 + textWidth(doc, ph.label, 7.5) + 12;
  }
}
