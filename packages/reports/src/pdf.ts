// The PDF report: every figure of the model, laid out in fixed-height blocks so the page count is known
// before the first page is drawn ("page 3 of 12" without buffering pages), and streamed by pdfkit.
import { periodLabel } from './calendar.js';
import {
  arrow,
  availabilityShort,
  dateTime,
  duration,
  ms,
  pct,
  rate,
  shortDateTime,
  statusLabel,
  targetPct,
} from './format.js';
import {
  availabilityBars,
  textWidth,
  badge,
  box,
  GREEN,
  INK,
  latencyLine,
  LINE,
  MUTED,
  phaseBar,
  phaseLegend,
  RED,
  rule,
  text,
  type Doc,
  type PhaseSet,
} from './pdf-draw.js';
import { exposureDuration, redundancySentences } from './redundancy.js';
import { declarationText } from './declared.js';
import { rateLimitText } from './rate-limits.js';
import { slaTermsText, slaVerdictText } from './sla.js';
import { reportSubject } from './subject.js';
import { trendKeys, trendPointText } from './trend.js';
import type { AvailabilityStatus } from '@vigil/core';
import type {
  EntityReport,
  ProbeReport,
  ProviderReport,
  ProviderSlaReport,
  RedundancyExposure,
  ReportModel,
  ServiceReport,
  SlaStatus,
} from './types.js';

/** A4 portrait, in points. */
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const LEFT = 40;
const WIDTH = PAGE_W - 2 * LEFT;
const TOP = 70;
const BOTTOM = PAGE_H - 52;

/**
 * A piece of a page. Heights are fixed (text never wraps: it is cut to its width), so pages are laid
 * out before anything is drawn.
 */
export interface PdfBlock {
  height: number;
  /** start a new page unless the current one is still empty */
  newPage?: boolean;
  /** keep at least this much of what follows on the same page (a heading with its first row) */
  keepWithNext?: number;
  draw(doc: Doc, y: number): void;
}

/** A section of the report: a function of the model (add new sections to `pdfSections`). */
export type PdfSection = (m: ReportModel) => PdfBlock[];

/** The sections in page order. */
export function pdfSections(m: ReportModel): PdfSection[] {
  return [
    coverSection,
    ...m.services.map((s) => (mm: ReportModel) => serviceSection(mm, s)),
    slowestSection,
    incidentsSection,
    notesSection,
  ];
}

/** Assigns blocks to pages: `pages[i]` lists the blocks of page i + 1 with their top. */
export function paginate(blocks: readonly PdfBlock[]): { block: PdfBlock; y: number }[][] {
  const pages: { block: PdfBlock; y: number }[][] = [[]];
  let y = TOP;
  blocks.forEach((b, i) => {
    const page = pages[pages.length - 1]!;
    const keep = Math.min(b.keepWithNext ?? 0, blocks[i + 1]?.height ?? 0);
    if (page.length > 0 && (b.newPage || y + b.height + keep > BOTTOM)) {
      pages.push([]);
      y = TOP;
    }
    pages[pages.length - 1]!.push({ block: b, y });
    y += b.height;
  });
  return pages;
}

/** pdfkit and its font tables cost a process ~27 MB: loaded on the first PDF, not with the package. */
let pdfkit: Promise<PDFKit.PDFDocument> | undefined;

/**
 * The report as a PDF stream (a pdfkit document: pipe it to a file or a response). Everything is drawn
 * before this resolves; pages are flushed as they are finished, so no page is kept once written.
 * The same model gives the same bytes: the dates in the file are the model's generatedAt.
 */
export async function renderPdf(m: ReportModel): Promise<Doc> {
  const PDFDocument = await (pdfkit ??= import('pdfkit').then((mod) => mod.default));
  const when = new Date(m.generatedAt);
  const doc = new PDFDocument({
    size: [PAGE_W, PAGE_H],
    margin: 0,
    autoFirstPage: false,
    compress: true,
    info: {
      Title: reportSubject(m),
      Author: 'Vigil',
      Creator: 'Vigil',
      Producer: 'Vigil (pdfkit)',
      CreationDate: when,
      ModDate: when,
    },
  });
  const blocks = pdfSections(m).flatMap((s) => s(m));
  const pages = paginate(blocks);
  const labels = furnitureLabels(m);
  pages.forEach((page, i) => {
    doc.addPage({ size: [PAGE_W, PAGE_H], margin: 0 });
    const flush = batchPageContent(doc);
    furniture(doc, labels, i + 1, pages.length);
    for (const { block, y } of page) block.draw(doc, y);
    flush();
  });
  doc.end();
  return doc;
}

/** The whole PDF in memory (an email attachment). */
export async function renderPdfBuffer(m: ReportModel): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await renderPdf(m)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Collects what is drawn on the current page into one string, written to its content stream when the
 * page is done: pdfkit makes a Buffer of every operator otherwise (tens of thousands per report). The
 * bytes are the same: each operator still ends with a newline.
 */
function batchPageContent(doc: Doc): () => void {
  const page = (doc as unknown as { page?: { write?: (chunk: unknown) => unknown } }).page;
  const write = page?.write;
  if (!page || typeof write !== 'function') return () => undefined;
  const parts: string[] = [];
  const flush = () => {
    if (parts.length) write.call(page, parts.join('\n'));
    parts.length = 0;
  };
  page.write = (chunk: unknown) => {
    if (typeof chunk === 'string') parts.push(chunk);
    else {
      flush();
      write.call(page, chunk);
    }
  };
  return () => {
    flush();
    delete page.write;
  };
}

interface FurnitureLabels {
  kind: string;
  period: string;
  footer: string;
}

/** The strings every page repeats, formatted once (a zoned date format costs luxon ~0.3 ms). */
function furnitureLabels(m: ReportModel): FurnitureLabels {
  return {
    kind: `Vigil ${m.kind} uptime report`,
    period: `${periodLabel(m.period)} · times in ${m.tz}`,
    footer: `${m.period.key} (${m.tz}) · generated ${dateTime(m.generatedAt, m.tz)}`,
  };
}

/** Header and footer of every page: the report, the period and its time zone; page N of M. */
function furniture(doc: Doc, l: FurnitureLabels, n: number, total: number): void {
  const top = 30;
  text(doc, l.kind, LEFT, top, { size: 8, bold: true, color: INK });
  text(doc, l.period, LEFT, top, {
    size: 8,
    color: MUTED,
    width: WIDTH,
    align: 'right',
  });
  rule(doc, LEFT, top + 14, WIDTH);
  const foot = PAGE_H - 36;
  rule(doc, LEFT, foot - 6, WIDTH);
  text(doc, l.footer, LEFT, foot, {
    size: 7.5,
    color: MUTED,
    width: WIDTH - 80,
  });
  text(doc, `page ${n} of ${total}`, LEFT, foot, { size: 7.5, color: MUTED, width: WIDTH, align: 'right' });
}

const STATUS_TINT: Record<AvailabilityStatus, [string, string]> = {
  met: [GREEN, '#dcfce7'],
  missed: [RED, '#fee2e2'],
  insufficient_data: [MUTED, '#f3f4f6'],
};

function statusBadge(doc: Doc, s: AvailabilityStatus, x: number, y: number): number {
  const [c, t] = STATUS_TINT[s];
  return badge(doc, statusLabel(s), x, y, c, t);
}

function heading(title: string, note: string, newPage = false): PdfBlock {
  return {
    height: 34,
    newPage,
    keepWithNext: 60,
    draw(doc, y) {
      text(doc, title, LEFT, y + 4, { size: 14, bold: true, width: WIDTH });
      if (note) text(doc, note, LEFT, y + 21, { size: 8, color: MUTED, width: WIDTH });
    },
  };
}

function spacer(height: number): PdfBlock {
  return { height, draw: () => undefined };
}

/** A table: header row and one fixed-height row per item, each a list of cells drawn at column x. */
interface Column {
  label: string;
  /** share of WIDTH */
  w: number;
  align?: 'left' | 'right';
}

function tableHeader(cols: readonly Column[]): PdfBlock {
  return {
    height: 16,
    keepWithNext: 30,
    draw(doc, y) {
      let x = LEFT;
      for (const c of cols) {
        const w = c.w * WIDTH;
        text(doc, c.label.toUpperCase(), x + 3, y + 4, {
          size: 6.5,
          bold: true,
          color: MUTED,
          width: w - 6,
          align: c.align,
        });
        x += w;
      }
      rule(doc, LEFT, y + 15, WIDTH, '#d1d5db');
    },
  };
}

/** Cell x positions of a table. */
function cellsOf(cols: readonly Column[]): { x: number; w: number }[] {
  let x = LEFT;
  return cols.map((c) => {
    const cell = { x: x + 3, w: c.w * WIDTH - 6 };
    x += c.w * WIDTH;
    return cell;
  });
}

function changeText(e: EntityReport): string {
  return arrow(e.change.availabilityPp, ' pp').replace(/^[▲▼] /, '');
}

function changeColor(e: EntityReport): string {
  const d = e.change.availabilityPp;
  return d === null || Math.abs(d) < 0.0005 ? MUTED : d > 0 ? GREEN : RED;
}

function availabilityOf(e: EntityReport): string {
  const c = e.current;
  return c.status === 'insufficient_data' ? `${rate(c.coverage, 0)} coverage` : pct(c.availability);
}

function phasesOf(e: EntityReport): PhaseSet | null {
  return e.current.phases;
}

function phaseTotal(p: PhaseSet | null): number {
  return p ? p.dnsMs + p.connectMs + p.tlsMs + p.ttfbMs : 0;
}

// ---- cover -------------------------------------------------------------------------------------

function coverSection(m: ReportModel): PdfBlock[] {
  const h = m.headline;
  const title: PdfBlock = {
    height: 96,
    draw(doc, y) {
      box(doc, LEFT, y, WIDTH, 84, INK);
      text(doc, `VIGIL · ${m.kind.toUpperCase()} UPTIME REPORT`, LEFT + 18, y + 14, {
        size: 8,
        color: '#9ca3af',
      });
      text(doc, periodLabel(m.period), LEFT + 18, y + 28, {
        size: 22,
        bold: true,
        color: '#ffffff',
        width: WIDTH - 36,
      });
      text(doc, `Times in ${m.tz} · compared with ${m.previous.key}`, LEFT + 18, y + 58, {
        size: 9,
        color: '#d1d5db',
        width: WIDTH - 36,
      });
    },
  };
  const target = h.commonTarget === null ? 'their targets' : `met ${targetPct(h.commonTarget)}`;
  const extra = [
    h.missed ? `${h.missed} missed` : '',
    h.insufficient ? `${h.insufficient} insufficient data` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const tiles: [string, string, string, string][] = [
    [
      'APIs on target',
      `${h.met} of ${h.apis}`,
      extra ? `${target}\n${extra}` : target,
      h.missed ? RED : GREEN,
    ],
    ['Availability', h.availability === null ? 'n/a' : pct(h.availability), overallNote(m), INK],
    ['Downtime', duration(h.downtimeMs), 'summed over APIs', INK],
    ['Incidents', String(h.incidents), 'opened or still open', INK],
    [
      'Budget left',
      h.quarterBudgetLeft === null ? 'n/a' : rate(h.quarterBudgetLeft, 1),
      h.budgetExhausted ? `this quarter\n${h.budgetExhausted} exhausted` : 'this quarter, mean',
      h.budgetExhausted ? RED : INK,
    ],
  ];
  const headline: PdfBlock = {
    height: 78,
    draw(doc, y) {
      const w = WIDTH / tiles.length;
      tiles.forEach(([label, value, note, color], i) => {
        const x = LEFT + i * w;
        doc
          .save()
          .rect(x + 2, y, w - 4, 64)
          .lineWidth(0.6)
          .strokeColor(LINE)
          .stroke()
          .restore();
        text(doc, label.toUpperCase(), x + 9, y + 9, { size: 6.5, bold: true, color: MUTED, width: w - 18 });
        text(doc, value, x + 9, y + 22, { size: 15, bold: true, color, width: w - 18 });
        note
          .split('\n')
          .forEach((line, k) =>
            text(doc, line, x + 9, y + 42 + k * 9, { size: 7, color: MUTED, width: w - 18 }),
          );
      });
    },
  };
  const link: PdfBlock[] = m.webUrl
    ? [
        {
          height: 18,
          draw(doc, y) {
            text(doc, 'On the web:', LEFT, y + 2, { size: 8.5, color: MUTED });
            const safe = m.webUrl!;
            text(doc, safe, LEFT + 52, y + 2, { size: 8.5, color: '#2563eb', width: WIDTH - 52 });
            doc.link(LEFT + 52, y, WIDTH - 52, 14, safe);
          },
        },
      ]
    : [];
  const cols: Column[] = [
    { label: 'Service', w: 0.27 },
    { label: 'Availability', w: 0.15 },
    { label: 'Status', w: 0.15 },
    { label: 'Downtime', w: 0.13 },
    { label: 'Incidents', w: 0.1 },
    { label: 'p95', w: 0.1 },
    { label: 'vs previous', w: 0.1, align: 'right' },
  ];
  const cells = cellsOf(cols);
  const rows = m.services.map((s): PdfBlock => ({
    height: 24,
    draw(doc, y) {
      const c = s.current;
      text(doc, s.name, cells[0]!.x, y + 4, { size: 9, bold: true, width: cells[0]!.w });
      text(
        doc,
        `${s.mode === 'any' ? 'failover' : 'all providers'} · ${s.providers.length} provider(s)`,
        cells[0]!.x,
        y + 14,
        {
          size: 6.5,
          color: MUTED,
          width: cells[0]!.w,
        },
      );
      text(doc, availabilityOf(s), cells[1]!.x, y + 4, { size: 9, width: cells[1]!.w });
      text(doc, `target ${targetPct(c.target)}`, cells[1]!.x, y + 14, { size: 6.5, color: MUTED });
      statusBadge(doc, c.status, cells[2]!.x, y + 4);
      text(doc, duration(c.downMs), cells[3]!.x, y + 4, { size: 9, width: cells[3]!.w });
      text(doc, String(c.incidents.count), cells[4]!.x, y + 4, { size: 9, width: cells[4]!.w });
      text(doc, ms(c.latency.p95Ms), cells[5]!.x, y + 4, { size: 9, width: cells[5]!.w });
      text(doc, changeText(s), cells[6]!.x, y + 4, {
        size: 8.5,
        color: changeColor(s),
        width: cells[6]!.w,
        align: 'right',
      });
      rule(doc, LEFT, y + 23.5, WIDTH);
    },
  }));
  return [
    title,
    headline,
    ...link,
    heading(
      'Services',
      `${m.services.length} service(s); each has its own pages below with its providers and APIs.`,
    ),
    tableHeader(cols),
    ...rows,
    ...quartersBlocks(m),
    ...redundancyBlocks(m),
    ...slaBlocks(m),
  ];
}

/** "APIs with enough data" and the change against the previous period. */
function overallNote(m: ReportModel): string {
  const t = m.trend;
  const n = t?.overall.length ?? 0;
  if (!t || n < 2) return 'APIs with enough data';
  const prev = t.overall[n - 2]!;
  const now = t.overall[n - 1]!;
  const key = t.periods[n - 2]!.key;
  if (prev === null || now === null) return `APIs with enough data\n${key}: n/a`;
  return `APIs with enough data\n${arrow((now - prev) * 100, ' pp').replace(/^[▲▼] /, '')} vs ${key}`;
}

/** The quarterly report's last four quarters: all APIs, then every service. */
function quartersBlocks(m: ReportModel): PdfBlock[] {
  const t = m.trend;
  if (!t || t.periods.length <= 2) return [];
  const keys = trendKeys(t);
  const cols: Column[] = [
    { label: 'Service', w: 0.32 },
    ...keys.map(
      (k, i) =>
        ({ label: k, w: 0.68 / keys.length, align: i === keys.length - 1 ? 'right' : 'left' }) as Column,
    ),
  ];
  const cells = cellsOf(cols);
  const line = (label: string, values: { text: string; missed: boolean }[], bold: boolean): PdfBlock => ({
    height: 16,
    draw(doc, y) {
      text(doc, label, cells[0]!.x, y + 4, { size: 8.5, bold, width: cells[0]!.w });
      values.forEach((v, i) =>
        text(doc, v.text, cells[i + 1]!.x, y + 4, {
          size: 8.5,
          bold,
          color: v.missed ? RED : INK,
          width: cells[i + 1]!.w,
          align: cols[i + 1]!.align,
        }),
      );
      rule(doc, LEFT, y + 15.5, WIDTH);
    },
  });
  return [
    spacer(10),
    heading(
      `Last ${t.periods.length} quarters`,
      'Availability per quarter; n/a: no figures kept for that quarter.',
    ),
    tableHeader(cols),
    line(
      'All APIs',
      t.overall.map((a) => ({ text: a === null ? 'n/a' : pct(a), missed: false })),
      true,
    ),
    ...t.services.map((sv) =>
      line(
        sv.name,
        sv.points.map((p) => ({
          text: trendPointText(p),
          missed: p.availability !== null && p.status === 'missed',
        })),
        false,
      ),
    ),
  ];
}

function redundancyText(r: RedundancyExposure): string[] {
  const out = r.singleProviderMs > 0 ? redundancySentences(r) : [];
  if (r.allDownMs > 0) out.push(`${r.name} had every provider down for ${exposureDuration(r.allDownMs)}`);
  return out;
}

/** Failover services that ran on one provider alone or on none, one sentence a line. */
function redundancyBlocks(m: ReportModel): PdfBlock[] {
  const lines = (m.redundancy ?? []).flatMap(redundancyText);
  if (lines.length === 0) return [];
  return [
    spacer(10),
    heading('Redundancy', 'Failover services: time on a single provider while the others were down.'),
    ...lines.map((l): PdfBlock => ({
      height: 13,
      draw(doc, y) {
        text(doc, `• ${l}`, LEFT, y + 2, { size: 8.5, width: WIDTH });
      },
    })),
  ];
}

const SLA_COLOR: Record<SlaStatus, string> = { met: GREEN, breached: RED, insufficient_data: MUTED };

const SLA_COLS: Column[] = [
  { label: 'Provider', w: 0.34 },
  { label: 'Window', w: 0.2 },
  { label: 'Measured', w: 0.12 },
  { label: 'Verdict', w: 0.34 },
];

/** One line per window of a provider's contract SLA: measured availability and the verdict. */
function slaWindowRows(m: ReportModel, r: ProviderSlaReport, withProvider: boolean): PdfBlock[] {
  const cells = cellsOf(SLA_COLS);
  return r.windows.map((w, i) => ({
    height: withProvider && i === 0 ? 24 : 14,
    draw(doc, y) {
      if (withProvider && i === 0) {
        text(doc, r.name, cells[0]!.x, y + 3, { size: 8.5, bold: true, width: cells[0]!.w });
        text(doc, slaTermsText(r.sla), cells[0]!.x, y + 13, {
          size: 6.5,
          color: MUTED,
          width: cells[0]!.w + cells[1]!.w,
        });
      }
      const label = w.complete ? w.label : `${w.label} (to ${shortDateTime(w.measuredTo, m.tz)})`;
      text(doc, label, cells[1]!.x, y + 3, { size: 8, width: cells[1]!.w });
      text(doc, w.status === 'insufficient_data' ? '' : pct(w.availability), cells[2]!.x, y + 3, {
        size: 8,
        width: cells[2]!.w,
      });
      text(doc, slaVerdictText(w), cells[3]!.x, y + 3, {
        size: 8,
        bold: w.status === 'breached',
        color: SLA_COLOR[w.status],
        width: cells[3]!.w,
      });
    },
  }));
}

/** Every provider's contract SLA on the cover pages. */
function slaBlocks(m: ReportModel): PdfBlock[] {
  const list = m.contractSla ?? [];
  if (list.length === 0) return [];
  return [
    spacer(10),
    heading(
      'Contract SLAs',
      "Measured by Vigil per calendar window of the provider's terms; a claim follows the provider's own figures.",
    ),
    tableHeader(SLA_COLS),
    ...list.flatMap((r) => [
      ...slaWindowRows(m, r, true),
      { height: 3, draw: (doc: Doc, y: number) => rule(doc, LEFT, y + 1.5, WIDTH) },
    ]),
  ];
}

// ---- one service with its providers and probes ---------------------------------------------------

function dayLabels(m: ReportModel): { first: string; last: string } | null {
  const a = m.days[0];
  const b = m.days[m.days.length - 1];
  return a && b ? { first: a.key.slice(5), last: b.key.slice(5) } : null;
}

function serviceSection(m: ReportModel, s: ServiceReport): PdfBlock[] {
  const c = s.current;
  const mode = s.mode === 'any' ? 'failover: up while any provider is up' : 'needs every provider';
  const title: PdfBlock = {
    height: 50,
    newPage: true,
    draw(doc, y) {
      text(doc, s.name, LEFT, y + 2, { size: 17, bold: true, width: WIDTH - 170 });
      text(doc, `${mode} · target ${targetPct(c.target)}${s.critical ? ' · critical' : ''}`, LEFT, y + 24, {
        size: 8,
        color: MUTED,
        width: WIDTH - 170,
      });
      const right = LEFT + WIDTH;
      text(
        doc,
        c.status === 'insufficient_data' ? 'insufficient data' : pct(c.availability),
        right - 160,
        y + 2,
        {
          size: 17,
          bold: true,
          width: 160,
          align: 'right',
        },
      );
      text(
        doc,
        `downtime ${duration(c.downMs)} · ${c.incidents.count} incident(s) · ${changeText(s)}`,
        right - 220,
        y + 24,
        { size: 8, color: MUTED, width: 220, align: 'right' },
      );
      const bw = statusBadge(doc, c.status, LEFT, y + 36);
      const red = m.redundancy?.find((r) => r.service === s.key);
      const lost = red ? redundancyText(red) : [];
      if (lost.length)
        text(doc, `Redundancy: ${lost.join('; ')}`, LEFT + bw + 8, y + 37, {
          size: 7.5,
          color: RED,
          width: WIDTH - bw - 8,
        });
    },
  };
  const charts: PdfBlock = {
    height: 104,
    draw(doc, y) {
      const half = (WIDTH - 16) / 2;
      text(doc, 'Daily availability', LEFT, y + 2, { size: 8, bold: true });
      text(doc, `dashed: target ${targetPct(c.target)}`, LEFT, y + 2, {
        size: 7,
        color: MUTED,
        width: half,
        align: 'right',
      });
      availabilityBars(doc, { x: LEFT, y: y + 16, w: half, h: 76 }, s.days, c.target, dayLabels(m));
      const x2 = LEFT + half + 16;
      text(doc, 'Daily p95 latency', x2, y + 2, { size: 8, bold: true });
      text(doc, `dashed: limit ${c.latency.thresholdMs} ms`, x2, y + 2, {
        size: 7,
        color: MUTED,
        width: half,
        align: 'right',
      });
      latencyLine(doc, { x: x2, y: y + 16, w: half, h: 66 }, s.latencyTrend, c.latency.thresholdMs);
    },
  };
  const out: PdfBlock[] = [title, charts];
  const withPhases = s.providers.filter((p) => p.current.phases);
  if (withPhases.length) {
    const scale = Math.max(1, ...withPhases.map((p) => phaseTotal(phasesOf(p))));
    out.push({
      height: 20,
      keepWithNext: 16,
      draw(doc, y) {
        text(doc, 'Phase breakdown by provider', LEFT, y + 6, { size: 8, bold: true });
        phaseLegend(doc, LEFT + 140, y + 6);
      },
    });
    for (const p of withPhases)
      out.push({
        height: 16,
        draw(doc, y) {
          const ph = phasesOf(p)!;
          text(doc, p.name, LEFT, y + 3, { size: 7.5, width: 110 });
          phaseBar(doc, { x: LEFT + 115, y: y + 2, w: WIDTH - 115 - 90, h: 9 }, ph, scale);
          text(doc, `${ms(phaseTotal(ph))} total`, LEFT + WIDTH - 85, y + 3, {
            size: 7.5,
            color: MUTED,
            width: 85,
            align: 'right',
          });
        },
      });
  }
  if (m.columns.length)
    out.push({
      height: 22,
      draw(doc, y) {
        const line = m.columns
          .map((col, i) => `${col.label} ${s.columns[i] ? availabilityShort(s.columns[i]) : 'n/a'}`)
          .join('  ·  ');
        text(doc, `By ${m.columnKind}: ${line}`, LEFT, y + 8, { size: 8, color: INK, width: WIDTH });
      },
    });
  const tr = m.trend?.services.find((x) => x.key === s.key);
  if (m.trend && tr && m.trend.periods.length > 2) {
    const keys = trendKeys(m.trend);
    out.push({
      height: 16,
      draw(doc, y) {
        const line = tr.points.map((p, i) => `${keys[i]} ${trendPointText(p)}`).join('  ·  ');
        text(doc, `Last ${keys.length} quarters: ${line}`, LEFT, y + 3, { size: 8, width: WIDTH });
      },
    });
  }
  for (const p of s.providers) out.push(...providerBlocks(m, p));
  return out;
}

const PROBE_COLS: Column[] = [
  { label: 'API', w: 0.25 },
  { label: 'Availability', w: 0.15 },
  { label: 'Downtime', w: 0.11 },
  { label: 'Incidents', w: 0.12 },
  { label: 'Latency p95', w: 0.14 },
  { label: 'Budget (Q)', w: 0.12 },
  { label: 'vs previous', w: 0.11, align: 'right' },
];

function providerBlocks(m: ReportModel, p: ProviderReport): PdfBlock[] {
  const c = p.current;
  const head: PdfBlock = {
    height: 78,
    keepWithNext: 16,
    draw(doc, y) {
      box(doc, LEFT, y + 8, WIDTH, 0.8, '#d1d5db');
      text(doc, p.name, LEFT, y + 14, { size: 11, bold: true, width: 220 });
      const w = statusBadge(doc, c.status, LEFT + 230, y + 14);
      text(
        doc,
        `${availabilityOf(p)} of ${targetPct(c.target)} · downtime ${duration(c.downMs)} · ${c.incidents.count} incident(s) · p95 ${ms(c.latency.p95Ms)}`,
        LEFT + 236 + w,
        y + 15,
        { size: 8, color: MUTED, width: WIDTH - 236 - w },
      );
      const left = WIDTH * 0.58;
      availabilityBars(doc, { x: LEFT, y: y + 32, w: left, h: 40 }, p.days, c.target, null);
      latencyLine(
        doc,
        { x: LEFT + left + 14, y: y + 32, w: WIDTH - left - 14, h: 34 },
        p.latencyTrend,
        c.latency.thresholdMs,
      );
    },
  };
  const sla = m.contractSla?.find((r) => r.provider === p.key);
  const slaHead: PdfBlock[] = (sla?.windows ?? []).map((w, i) => ({
    height: 13,
    keepWithNext: i === 0 ? 14 : 0,
    draw(doc, y) {
      const lead = i === 0 ? `Contract SLA ${slaTermsText({ ...sla!.sla, credits: [] })} · ` : '';
      const when = w.complete ? w.label : `${w.label} to ${shortDateTime(w.measuredTo, m.tz)}`;
      const measured = w.status === 'insufficient_data' ? '' : `${pct(w.availability)} — `;
      text(doc, `${lead}${when}: ${measured}`, LEFT, y + 2, { size: 7.5, width: WIDTH * 0.7 });
      const at = LEFT + Math.min(WIDTH * 0.7, textWidth(doc, `${lead}${when}: ${measured}`, 7.5));
      text(doc, slaVerdictText(w), at, y + 2, {
        size: 7.5,
        bold: true,
        color: SLA_COLOR[w.status],
        width: LEFT + WIDTH - at,
      });
    },
  }));
  const declared = m.declarations?.find((r) => r.provider === p.key);
  const usage = m.rateLimits?.find((r) => r.provider === p.key);
  const notes = [
    ...(declared ? noteLines(`Status page: ${declarationText(declared)}`) : []),
    ...(usage ? noteLines(`Requests: ${rateLimitText(usage)}`) : []),
  ].map((line, i, all): PdfBlock => ({
    height: 12,
    keepWithNext: i + 1 < all.length ? 12 : 0,
    draw(doc, y) {
      text(doc, line, LEFT, y + 2, { size: 7.5, width: WIDTH });
    },
  }));
  return [head, ...slaHead, ...notes, tableHeader(PROBE_COLS), ...p.probes.map((pr) => probeRow(pr))];
}

/** A note's '; '-separated parts packed into lines of about 120 characters (7.5 pt across the page). */
function noteLines(note: string, max = 120): string[] {
  const lines: string[] = [];
  for (const part of note.split('; ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + part.length + 2 <= max) lines[last] += `; ${part}`;
    else lines.push(lines.length ? `  ${part}` : part);
  }
  return lines;
}

function probeRow(pr: ProbeReport): PdfBlock {
  const cells = cellsOf(PROBE_COLS);
  return {
    height: 34,
    draw(doc, y) {
      const c = pr.current;
      const lat = c.latency;
      const tags = [pr.probe.critical ? 'critical' : '', pr.isNew ? 'new' : ''].filter(Boolean).join(', ');
      text(doc, pr.name, cells[0]!.x, y + 4, { size: 8.5, bold: true, width: cells[0]!.w });
      text(doc, tags ? `${pr.probe.provider} · ${tags}` : pr.probe.provider, cells[0]!.x, y + 14, {
        size: 6.5,
        color: MUTED,
        width: cells[0]!.w,
      });
      text(doc, availabilityOf(pr), cells[1]!.x, y + 4, { size: 8.5, width: cells[1]!.w });
      statusBadge(doc, c.status, cells[1]!.x, y + 13);
      text(doc, duration(c.downMs), cells[2]!.x, y + 4, { size: 8.5, width: cells[2]!.w });
      text(doc, String(c.incidents.count), cells[3]!.x, y + 4, { size: 8.5, width: cells[3]!.w });
      if (c.incidents.count)
        text(doc, `longest ${duration(c.incidents.longestMs)}`, cells[3]!.x, y + 14, {
          size: 6.5,
          color: MUTED,
          width: cells[3]!.w,
        });
      const latColor = lat.status === 'slow' ? RED : lat.status === 'ok' ? '#b45309' : INK;
      text(doc, ms(lat.p95Ms), cells[4]!.x, y + 4, { size: 8.5, color: latColor, width: cells[4]!.w });
      text(doc, `p50 ${ms(lat.p50Ms)} · limit ${lat.thresholdMs}`, cells[4]!.x, y + 14, {
        size: 6.5,
        color: MUTED,
        width: cells[4]!.w,
      });
      const q = pr.quarterBudget;
      text(doc, q === null || q.leftFraction === null ? 'n/a' : rate(q.leftFraction, 0), cells[5]!.x, y + 4, {
        size: 8.5,
        color: q?.exhausted ? RED : INK,
        width: cells[5]!.w,
      });
      if (q)
        text(doc, `used ${duration(q.usedMs)}`, cells[5]!.x, y + 14, {
          size: 6.5,
          color: MUTED,
          width: cells[5]!.w,
        });
      text(doc, changeText(pr), cells[6]!.x, y + 4, {
        size: 8,
        color: changeColor(pr),
        width: cells[6]!.w,
        align: 'right',
      });
      text(doc, `was ${availabilityShort(pr.previous)}`, cells[6]!.x, y + 14, {
        size: 6.5,
        color: MUTED,
        width: cells[6]!.w,
        align: 'right',
      });
      const errs = c.topErrors.map((e) => `${e.errorClass} ${e.count}`).join(', ');
      const detail = [
        `error rate ${rate(c.errorRate)}`,
        `success ${rate(c.successRate)}`,
        `429s ${rate(c.rateLimitedShare)}`,
        `calls ${c.calls}`,
        errs ? `top errors: ${errs}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      text(doc, detail, cells[0]!.x, y + 24, { size: 6.5, color: MUTED, width: WIDTH - 6 });
      rule(doc, LEFT, y + 33.5, WIDTH);
    },
  };
}

// ---- slowest APIs, incidents, notes --------------------------------------------------------------

function slowestSection(m: ReportModel): PdfBlock[] {
  if (m.slowest.length === 0) return [];
  const scale = Math.max(1, ...m.slowest.map((p) => phaseTotal(p.current.phases)));
  const legend: PdfBlock = {
    height: 16,
    keepWithNext: 30,
    draw(doc, y) {
      phaseLegend(doc, LEFT, y + 2);
    },
  };
  const rows = m.slowest.map((p): PdfBlock => ({
    height: 34,
    draw(doc, y) {
      const ph = p.current.phases;
      text(doc, p.name, LEFT, y + 4, { size: 9, bold: true, width: 150 });
      text(doc, p.probe.provider, LEFT, y + 15, { size: 7, color: MUTED, width: 150 });
      text(doc, `p95 ${ms(p.current.latency.p95Ms)}`, LEFT + 155, y + 4, { size: 9, width: 70 });
      if (ph) {
        phaseBar(doc, { x: LEFT + 230, y: y + 4, w: WIDTH - 230, h: 10 }, ph, scale);
        text(
          doc,
          `DNS ${ms(ph.dnsMs)} · connect ${ms(ph.connectMs)} · TLS ${ms(ph.tlsMs)} · first byte ${ms(ph.ttfbMs)}`,
          LEFT + 230,
          y + 17,
          { size: 7, color: MUTED, width: WIDTH - 230 },
        );
      } else text(doc, 'no phase data', LEFT + 230, y + 4, { size: 7, color: MUTED });
      rule(doc, LEFT, y + 33.5, WIDTH);
    },
  }));
  return [
    heading('Slowest APIs', 'p95 latency; bars: mean phase times of successful calls.', true),
    legend,
    ...rows,
  ];
}

const INCIDENT_COLS: Column[] = [
  { label: 'Opened', w: 0.15 },
  { label: 'Subject', w: 0.23 },
  { label: 'Incident', w: 0.44 },
  { label: 'Duration', w: 0.18, align: 'right' },
];

function incidentsSection(m: ReportModel): PdfBlock[] {
  const cells = cellsOf(INCIDENT_COLS);
  if (m.incidents.length === 0) return [heading('Incidents', 'No incident overlapped this period.', true)];
  const rows = m.incidents.map((i): PdfBlock => ({
    height: 26,
    draw(doc, y) {
      text(doc, shortDateTime(i.openedAt, m.tz), cells[0]!.x, y + 4, { size: 8, width: cells[0]!.w });
      text(doc, i.subject, cells[1]!.x, y + 4, { size: 8, bold: true, width: cells[1]!.w });
      text(doc, `${i.scope} · ${i.kind}`, cells[1]!.x, y + 14, {
        size: 6.5,
        color: MUTED,
        width: cells[1]!.w,
      });
      text(doc, i.title, cells[2]!.x, y + 4, { size: 8, width: cells[2]!.w });
      const notes = [i.ongoing ? 'ongoing' : '', i.startedBeforePeriod ? 'started before this period' : '']
        .filter(Boolean)
        .join(', ');
      if (notes) text(doc, notes, cells[2]!.x, y + 14, { size: 6.5, color: RED, width: cells[2]!.w });
      text(doc, duration(i.durationMs), cells[3]!.x, y + 4, { size: 8, width: cells[3]!.w, align: 'right' });
      if (i.inPeriodMs !== i.durationMs)
        text(doc, `${duration(i.inPeriodMs)} in period`, cells[3]!.x, y + 14, {
          size: 6.5,
          color: MUTED,
          width: cells[3]!.w,
          align: 'right',
        });
      rule(doc, LEFT, y + 25.5, WIDTH);
    },
  }));
  return [
    heading(`All incidents (${m.incidents.length})`, `Times in ${m.tz}.`, true),
    tableHeader(INCIDENT_COLS),
    ...rows,
  ];
}

const NOTES = [
  'Availability is up time / (up + down) time; maintenance windows and rate-limited (HTTP 429) time do not count.',
  'A period with less than 90% coverage reads "insufficient data" and is never shown as a percentage.',
  'Percentages are truncated, never rounded up, so a miss never prints as the target.',
  'Error rate is failed / answered calls (KPI < 1%); success rate is successful / all calls (KPI >= 99%).',
  'Latency limits: 500 ms for critical APIs, 300 ms otherwise, judged on p95 of successful calls.',
  "Budget left (Q): the quarter's error budget, (1 - target) x the quarter, minus downtime so far.",
  'Every figure per API and per month or week is also in the CSV attachment.',
];

function notesSection(m: ReportModel): PdfBlock[] {
  return [
    spacer(12),
    {
      height: 20 + NOTES.length * 12,
      draw(doc, y) {
        text(doc, 'How the figures are computed', LEFT, y + 4, { size: 9, bold: true });
        NOTES.forEach((n, i) =>
          text(doc, n, LEFT, y + 20 + i * 12, { size: 7.5, color: MUTED, width: WIDTH }),
        );
      },
    },
    {
      height: 18,
      draw(doc, y) {
        text(doc, `Generated ${dateTime(m.generatedAt, m.tz)} (${m.tz}) by Vigil.`, LEFT, y + 4, {
          size: 7.5,
          color: MUTED,
        });
      },
    },
  ];
}
