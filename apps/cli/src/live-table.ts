import type { ProbeResult, ProbeSpec } from '@vigil/core';
import { formatMs, formatPercent } from './format.js';

interface Row {
  last: ProbeResult | null;
  up: number;
  down: number;
  /** runs not counted for or against the provider: rate limited, or a configuration problem of ours */
  other: number;
}

/** The compact terminal view of `vigil run`: state, latency and uptime since start per probe. */
export class LiveTable {
  private readonly rows = new Map<string, Row>();
  private probes: ProbeSpec[] = [];

  setProbes(probes: ProbeSpec[]): void {
    this.probes = probes;
  }

  record(r: ProbeResult): void {
    const row = this.rows.get(r.probeId) ?? { last: null, up: 0, down: 0, other: 0 };
    row.last = r;
    if (r.errorClass === 'config') row.other++;
    else if (r.outcome === 'up') row.up++;
    else if (r.outcome === 'down') row.down++;
    else row.other++;
    this.rows.set(r.probeId, row);
  }

  render(width = 100): string {
    const header = ['PROBE', 'STATE', 'LATENCY', 'UPTIME', 'RUNS', 'LAST ERROR'];
    const lines = this.probes.map((p) => {
      const row = this.rows.get(p.id);
      const last = row?.last ?? null;
      const state = !last
        ? 'pending'
        : last.errorClass === 'config'
          ? 'config'
          : last.outcome === 'rate_limited'
            ? 'limited'
            : last.outcome;
      const runs = row ? row.up + row.down + row.other : 0;
      const uptime = row && row.up + row.down > 0 ? row.up / (row.up + row.down) : null;
      const err =
        last && last.outcome !== 'up' ? `${last.errorClass ?? ''} ${last.message ?? ''}`.trim() : '';
      return [
        p.id,
        state,
        last ? formatMs(last.phases.totalMs) : '–',
        formatPercent(uptime, 1),
        String(runs),
        err,
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const fmt = (cols: string[]) =>
      cols
        .map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .slice(0, width);
    return [fmt(header), ...lines.map(fmt)].join('\n');
  }
}
