import type { Command } from 'commander';
import type { Availability } from '@vigil/core';
import { migrate } from '@vigil/db';
import { readStatus, type DeclarationView, type SubjectStatus } from '@vigil/evaluation';
import { declarationText } from '@vigil/notify';
import { systemClock } from '@vigil/runtime';
import { configRoot, loadOrExit } from '../context.js';
import { formatMs, formatPercent } from '../format.js';
import { openStore } from '../store.js';
import { renderTable } from '../table.js';

function availabilityCell(a: Availability): string {
  if (a.status === 'insufficient_data') return 'insufficient data';
  return `${formatPercent(a.availability, 2)} ${a.status === 'met' ? '✓' : '✗'}`;
}

export function statusRows(subjects: SubjectStatus[]): string[][] {
  return subjects.map((s) => [
    s.name === s.key ? s.key : `${s.name} (${s.key})`,
    s.state,
    availabilityCell(s.availability24h),
    availabilityCell(s.availability30d),
    availabilityCell(s.availabilityQuarter),
    formatPercent(s.target, 1),
    s.p95Ms === null ? '–' : formatMs(s.p95Ms),
    s.budgetQuarter.exhausted ? 'exhausted' : formatPercent(s.budgetQuarter.leftFraction, 0),
    s.openIncident
      ? `${s.openIncident.kind} since ${new Date(s.openIncident.openedAt).toISOString().slice(0, 16)}Z`
      : '',
  ]);
}

/** One line per provider with a status page: what it declares, beside our own rows above. */
export function declarationRows(views: Iterable<DeclarationView>, now: number): string[][] {
  return [...views].map((v) => [v.key, declarationText(v, now)]);
}

const HEADER = ['', 'STATE', '24H', '30D', 'QUARTER', 'TARGET', 'P95', 'BUDGET LEFT (Q)', 'OPEN INCIDENT'];

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      'state, availability (24 h / 30 d / quarter) vs target, p95, budget and open incident per service, provider and probe',
    )
    .option('--json', 'print the status as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = await loadOrExit(configRoot(cmd));
      const h = await openStore({ command: 'status' });
      try {
        await migrate(h);
        const now = systemClock.now();
        const report = await readStatus(h.db, config, now);
        if (opts.json) {
          console.log(JSON.stringify(report, null, 2));
          return;
        }
        console.log(`Quarter ${report.quarter} · ${new Date(report.at).toISOString()}\n`);
        for (const [title, list] of [
          ['SERVICES', report.services],
          ['PROVIDERS', report.providers],
          ['PROBES', report.probes],
        ] as const) {
          if (list.length === 0) continue;
          console.log(renderTable([[title, ...HEADER.slice(1)], ...statusRows(list)]));
          console.log('');
          if (title === 'PROVIDERS' && report.declarations.length > 0) {
            console.log(
              renderTable([
                ['DECLARED BY THE PROVIDER', "ITS STATUS PAGE (the provider's word, not our measurement)"],
                ...declarationRows(report.declarations, now),
              ]),
            );
            console.log('');
          }
        }
      } finally {
        await h.close();
      }
    });
}
