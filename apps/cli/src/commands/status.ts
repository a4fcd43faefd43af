import type { Command } from 'commander';
import { DAY_MS, type Availability } from '@vigil/core';
import { createSilence, migrate } from '@vigil/db';
import { readIncidents, readStatus, type SubjectStatus } from '@vigil/evaluation';
import { systemClock } from '@vigil/runtime';
import type { VigilConfig } from '@vigil/config';
import { configRoot, loadOrExit } from '../context.js';
import { formatMs, formatPercent } from '../format.js';
import { duration, positiveInt, someOf } from '../options.js';
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
        const report = await readStatus(h.db, config, systemClock.now());
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
        }
      } finally {
        await h.close();
      }
    });

  program
    .command('incidents')
    .description('list incidents, newest first')
    .option('--open', 'only incidents that are still open')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'at most this many', positiveInt, 50)
    .action(async (opts: { open?: boolean; json?: boolean; limit: number }) => {
      const h = await openStore({ command: 'incidents' });
      try {
        await migrate(h);
        const rows = await readIncidents(h.db, { open: opts.open, limit: opts.limit });
        if (opts.json) {
          console.log(JSON.stringify(rows, null, 2));
          return;
        }
        if (rows.length === 0) {
          console.log(opts.open ? 'no open incidents' : 'no incidents');
          return;
        }
        const now = systemClock.now();
        console.log(
          renderTable([
            ['ID', 'SCOPE', 'SUBJECT', 'KIND', 'SEVERITY', 'OPENED', 'DURATION', 'TITLE'],
            ...rows.map((i) => [
              i.id,
              i.scope,
              i.key,
              `${i.kind}${i.silent ? ' (grouped)' : ''}${i.flapping ? ' (flapping)' : ''}`,
              i.severity,
              `${new Date(i.openedAt).toISOString().slice(0, 16)}Z`,
              `${formatMs((i.resolvedAt ? new Date(i.resolvedAt).getTime() : now) - new Date(i.openedAt).getTime())}${i.resolvedAt ? '' : ' (open)'}`,
              i.title,
            ]),
          ]),
        );
      } finally {
        await h.close();
      }
    });

  program
    .command('silence')
    .description(
      'hold notifications for a probe, provider, service, region or incident id (its slots still count)',
    )
    .argument('<id>', 'probe id, provider, service, region or incident id')
    .requiredOption('--for <duration>', 'how long, e.g. 30m or 2h (at most 365d)', duration(365 * DAY_MS))
    .option('--reason <text>', 'why (shown in the silence list)')
    .action(async (id: string, opts: { for: number; reason?: string }, cmd: Command) => {
      const ms = opts.for;
      const config = await loadOrExit(configRoot(cmd));
      const named = silenceTargets(config);
      const h = await openStore({ command: 'silence' });
      try {
        await migrate(h);
        if (!named.has(id) && !(await readIncidents(h.db, { open: true })).some((i) => i.id === id)) {
          console.error(`vigil: ${unknownTarget(id, config)}`);
          process.exitCode = 2;
          return;
        }
        const now = systemClock.now();
        const s = await createSilence(
          h.db,
          { target: id, until: new Date(now + ms), reason: opts.reason, createdBy: process.env.USER },
          new Date(now),
        );
        console.log(`silenced ${id} until ${new Date(s.endsAt).toISOString()} (${s.id})`);
      } finally {
        await h.close();
      }
    });
}

/** What a silence can name from the config alone; open incident ids are looked up in the store. */
function silenceTargets(config: VigilConfig): Set<string> {
  return new Set([
    ...config.probes.flatMap((p) => [p.id, p.provider, p.service]),
    ...Object.keys(config.services),
    ...config.regions,
  ]);
}

function unknownTarget(id: string, config: VigilConfig): string {
  const uniq = (xs: string[]) => [...new Set(xs)].sort();
  return [
    `nothing named "${id}" to silence: it is no probe id, provider, service or region in the config, nor the id of an open incident`,
    `  probes:    ${someOf(uniq(config.probes.map((p) => p.id)))}`,
    `  providers: ${someOf(uniq(config.probes.map((p) => p.provider)))}`,
    `  services:  ${someOf(uniq([...config.probes.map((p) => p.service), ...Object.keys(config.services)]))}`,
    `  regions:   ${someOf(config.regions)}`,
    '  open incidents: vigil incidents --open',
  ].join('\n');
}
