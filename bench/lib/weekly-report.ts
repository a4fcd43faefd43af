// The weekly report of a big fleet: synthesised hourly rollups through buildReport and the email's
// renderers, for the size of the HTML part (Gmail clips past ~102 KB) and the time it takes.
import { histAddInPlace, HOUR_MS, parsePeriodKey, previousPeriod, type HourlyRollup } from '@vigil/core';
import {
  buildReport,
  renderCsv,
  renderHtml,
  renderPdf,
  renderText,
  type ReportIncident,
  type ReportProbe,
  type ReportServiceDef,
} from '@vigil/reports';

export interface WeeklyBenchResult {
  probes: number;
  buildMs: number;
  /** renderHtml + renderText + renderCsv + renderPdf */
  renderMs: number;
  htmlBytes: number;
  textBytes: number;
  csvBytes: number;
  /** the PDF attachment, counted as it streams */
  pdfBytes: number;
}

function noise(n: number): number {
  const x = Math.sin(n * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

/** A weekly report for `nProbes` probes (5 per provider, 4 providers per service), this week and the last. */
export async function benchWeekly(nProbes = 1000): Promise<WeeklyBenchResult> {
  const tz = 'Europe/Berlin';
  const period = parsePeriodKey('2026-W27', tz);
  const previous = previousPeriod(period);
  const probes: ReportProbe[] = [];
  const services: ReportServiceDef[] = [];
  for (let i = 0; i < nProbes; i++) {
    const prov = Math.floor(i / 5);
    const svc = Math.floor(prov / 4);
    probes.push({
      id: `probe-${i}`,
      name: `API ${i}`,
      provider: `provider-${prov}`,
      service: `service-${svc}`,
      critical: svc % 3 === 0,
      target: 0.98,
      labels: {},
      createdAt: 0,
    });
    if (i % 20 === 0)
      services.push({
        name: `service-${svc}`,
        providers: Array.from({ length: 4 }, (_, k) => `provider-${svc * 4 + k}`),
        mode: svc % 2 === 0 ? 'any' : 'all',
        target: 0.98,
      });
  }
  const rollups = new Map<string, HourlyRollup[]>();
  for (const [seed, p] of probes.entries()) {
    const list: HourlyRollup[] = [];
    for (let t = previous.from, i = 0; t < period.to; t += HOUR_MS, i++) {
      const r = noise(seed * 7919 + i);
      const down = r < 0.004 ? 60 : r < 0.03 ? Math.floor(r * 1000) % 30 : 0;
      const up = 60 - down;
      const latency = {};
      histAddInPlace(latency, 80 + (seed % 97) * 4 + r * 100, up);
      list.push({
        probeId: p.id,
        hourStart: t,
        upMs: up * 60_000,
        degradedMs: 0,
        downMs: down * 60_000,
        noDataMs: 0,
        excludedMs: 0,
        rateLimitedMs: 0,
        counts: { up, degraded: 0, down, no_data: 0, excluded: 0, rate_limited: 0 },
        errorClasses: down ? { timeout: down } : {},
        latency,
        phaseSums: { dnsMs: 4 * up, connectMs: 11 * up, tlsMs: 22 * up, ttfbMs: 95 * up, n: up },
      });
    }
    rollups.set(p.id, list);
  }
  const incidents: ReportIncident[] = probes
    .filter((_, i) => i % 10 === 0)
    .map((p, k) => ({
      id: `inc-${k}`,
      scope: 'probe',
      key: p.id,
      kind: 'down',
      openedAt: period.from + ((k * HOUR_MS) % (period.to - period.from)),
      resolvedAt: period.from + ((k * HOUR_MS) % (period.to - period.from)) + 40 * 60_000,
      title: `${p.name} is down`,
    }));
  const t1 = performance.now();
  const model = buildReport({
    kind: 'weekly',
    period,
    previous,
    tz,
    generatedAt: period.to + HOUR_MS,
    probes,
    services,
    rollups,
    incidents,
  });
  const t2 = performance.now();
  const htmlBytes = Buffer.byteLength(renderHtml(model).html);
  const textBytes = Buffer.byteLength(renderText(model));
  const csvBytes = Buffer.byteLength(renderCsv(model));
  let pdfBytes = 0;
  for await (const chunk of await renderPdf(model)) pdfBytes += (chunk as Buffer).length;
  const t3 = performance.now();
  return {
    probes: nProbes,
    buildMs: Math.round(t2 - t1),
    renderMs: Math.round(t3 - t2),
    htmlBytes,
    textBytes,
    csvBytes,
    pdfBytes,
  };
}
