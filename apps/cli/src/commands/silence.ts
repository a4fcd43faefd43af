import type { Command } from 'commander';
import type { VigilConfig } from '@vigil/config';
import { DAY_MS } from '@vigil/core';
import { createSilence, migrate } from '@vigil/db';
import { isSilenceTarget, silenceTargets } from '@vigil/evaluation';
import { systemClock } from '@vigil/runtime';
import { configRoot, loadOrExit } from '../context.js';
import { duration, someOf } from '../options.js';
import { openStore } from '../store.js';

export function registerSilence(program: Command): void {
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
      const h = await openStore({ command: 'silence' });
      try {
        await migrate(h);
        if (!(await isSilenceTarget(h.db, config, id))) {
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

function unknownTarget(id: string, config: VigilConfig): string {
  const t = silenceTargets(config);
  return [
    `nothing named "${id}" to silence: it is no probe id, provider, service or region in the config, nor the id of an open incident`,
    `  probes:    ${someOf(t.probes)}`,
    `  providers: ${someOf(t.providers)}`,
    `  services:  ${someOf(t.services)}`,
    `  regions:   ${someOf(t.regions)}`,
    '  open incidents: vigil incidents --open',
  ].join('\n');
}
