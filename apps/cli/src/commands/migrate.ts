import type { Command } from 'commander';
import { migrate } from '@vigil/db';
import { openStore } from '../store.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (DATABASE_URL, or the embedded PGlite under .vigil/)')
    .action(async () => {
      const h = await openStore({ command: 'migrate' });
      try {
        await migrate(h);
        console.log(`migrations applied (${h.kind})`);
      } finally {
        await h.close();
      }
    });
}
