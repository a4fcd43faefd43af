import type { Command } from 'commander';
import { ApiRoleError, grantApiRole, migrate } from '@vigil/db';
import { usageExit } from '../context.js';
import { openStore } from '../store.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('apply database migrations (DATABASE_URL, or the embedded PGlite under .vigil/)')
    .option(
      '--api-role <name>',
      'then grant this existing Postgres role what the api needs: read all, write silences and acknowledgements',
    )
    .action(async (opts: { apiRole?: string }) => {
      const h = await openStore({ command: 'migrate' });
      try {
        await migrate(h);
        console.log(`migrations applied (${h.kind})`);
        if (opts.apiRole !== undefined) {
          await grantApiRole(h, opts.apiRole).catch((err: unknown) => {
            if (err instanceof ApiRoleError) usageExit(err.message);
            throw err;
          });
          console.log(`role ${opts.apiRole} may read every table and write silences and acknowledgements`);
        }
      } finally {
        await h.close();
      }
    });
}
