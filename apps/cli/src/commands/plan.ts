import type { Command } from 'commander';
import { formatDuration, plannedRequests, probeHash, providerBudgets } from '@vigil/config';
import { listProbes, migrate } from '@vigil/db';
import { createBullDispatcher, largeRemoval, largeRemovalWarning } from '@vigil/queue';
import { desiredSchedules } from '@vigil/scheduler';
import { configRoot, loadOrExit } from '../context.js';
import { openStore } from '../store.js';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description(
      'show what applying the config would add, change and remove (probes, and schedules when REDIS_URL is set)',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const root = configRoot(cmd);
      const config = await loadOrExit(root);
      const hashed = config.probes.map((spec) => ({ spec, hash: probeHash(spec) }));
      const h = await openStore({ command: 'plan' });
      let stored: { id: string; hash: string }[] = [];
      try {
        await migrate(h);
        stored = await listProbes(h.db);
      } finally {
        await h.close();
      }
      const storedById = new Map(stored.map((s) => [s.id, s.hash]));
      const wanted = new Set(hashed.map((x) => x.spec.id));
      let add = 0;
      let change = 0;
      let remove = 0;
      console.log('Probes:');
      for (const { spec, hash } of hashed) {
        const prev = storedById.get(spec.id);
        if (prev === undefined) {
          add++;
          console.log(`  + ${spec.id}  ${spec.kind} in ${spec.regions.join(', ')}`);
        } else if (prev !== hash) {
          change++;
          console.log(`  ~ ${spec.id}  definition changed`);
        }
      }
      for (const s of stored) {
        if (!wanted.has(s.id)) {
          remove++;
          console.log(`  - ${s.id}`);
        }
      }
      console.log(
        `  ${add} to add, ${change} to change, ${remove} to remove, ${hashed.length - add - change} unchanged`,
      );
      const large = largeRemoval(stored.length, remove);
      if (large) console.log(`\n${largeRemovalWarning(large)}\n`);
      // requests the probes plan in their busiest window, against each provider's rateLimit
      const budgets = Object.entries(providerBudgets(config));
      if (budgets.length > 0) console.log('Rate limits:');
      for (const [provider, b] of budgets) {
        const planned = plannedRequests(config.probes, provider, b.perMs);
        const over =
          planned > b.requests ? '  OVER BUDGET: the slots beyond it are recorded rate_limited' : '';
        console.log(
          `  ${provider}: ${planned} of ${b.requests} requests per ${formatDuration(b.perMs)} planned${over}`,
        );
      }
      const redisUrl = process.env.REDIS_URL;
      if (!redisUrl) {
        console.log(
          'Schedules: REDIS_URL is not set (embedded mode schedules in-process from the probes above)',
        );
        return;
      }
      const dispatcher = createBullDispatcher({
        redisUrl,
        prefix: process.env.VIGIL_QUEUE_PREFIX,
        regions: config.regions,
      });
      try {
        const plan = await dispatcher.plan(desiredSchedules(hashed));
        console.log('Schedules:');
        for (const s of plan.add) console.log(`  + ${s.probeId} @ ${s.region}`);
        for (const s of plan.change) console.log(`  ~ ${s.probeId} @ ${s.region}`);
        for (const s of plan.remove) console.log(`  - ${s.probeId} @ ${s.region}`);
        console.log(
          `  ${plan.add.length} to add, ${plan.change.length} to change, ${plan.remove.length} to remove, ${plan.unchanged} unchanged`,
        );
      } finally {
        await dispatcher.close();
      }
    });
}
