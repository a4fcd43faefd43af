import type { Command } from 'commander';
import { migrate } from '@vigil/db';
import { readIncidents } from '@vigil/evaluation';
import { systemClock } from '@vigil/runtime';
import { formatMs } from '../format.js';
import { positiveInt } from '../options.js';
import { openStore } from '../store.js';
import { renderTable } from '../table.js';

export function registerIncidents(program: Command): void {
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
}
