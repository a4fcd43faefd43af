import { join } from 'node:path';
import type { Command } from 'commander';
import { apiOf } from '@vigil/config';
import { createLogger, onShutdown, systemClock } from '@vigil/runtime';
import { configRoot, loadOrExit, usageExit } from '../context.js';
import { LiveTable } from '../live-table.js';
import { port, positiveInt, someOf } from '../options.js';
import { startOneProcess } from '../one-process.js';
import { openStore, stateDir } from '../store.js';

export interface RunOptions {
  stateDir?: string;
  region?: string[];
  concurrency: number;
  table: boolean;
  /** the web surface's port (vigil.yaml api.port otherwise) */
  port?: number;
  /** false: no web surface @defaultValue true */
  api?: boolean;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'run every role in one process (PGlite and in-process dispatch unless DATABASE_URL / REDIS_URL are set)',
    )
    .argument('[paths...]', 'probe files or folders, relative to the config dir', [])
    .option('--region <name...>', 'only these regions (default: all in vigil.yaml)')
    .option('--concurrency <n>', 'probes in flight at once', positiveInt, 100)
    .option('--no-table', 'log JSON lines even on a terminal')
    .option(
      '--port <n>',
      'serve the status page, dashboard, API and /metrics on this port (default: api.port, 8080; 0 picks one)',
      port,
    )
    .option('--no-api', 'serve no web surface')
    .action(async (paths: string[], opts: RunOptions, cmd: Command) => {
      await runCommand(configRoot(cmd), paths, opts);
    });
}

export async function runCommand(root: string, paths: string[], opts: RunOptions): Promise<void> {
  const config = await loadOrExit(root, paths.length > 0 ? paths : undefined);
  const unknown = (opts.region ?? []).filter((r) => !config.regions.includes(r));
  if (unknown.length > 0)
    usageExit(`--region ${unknown.join(', ')}: not in vigil.yaml regions (${someOf(config.regions)})`);
  const tty = Boolean(process.stdout.isTTY) && opts.table;
  const dir = opts.stateDir ?? stateDir();
  const log = createLogger('vigil', tty ? { destination: join(dir, 'vigil.log') } : {});
  const table = new LiveTable();
  table.setProbes(config.probes);
  const db = await openStore({ command: 'run', dir, serve: true });
  const last = new Map<string, string>();
  const app = await startOneProcess({
    root,
    paths: paths.length > 0 ? paths : undefined,
    config,
    db,
    redisUrl: process.env.REDIS_URL,
    prefix: process.env.VIGIL_QUEUE_PREFIX,
    regions: opts.region,
    concurrency: opts.concurrency,
    env: process.env,
    clock: systemClock,
    log,
    outboxDir: join(dir, 'outbox'),
    reportsDir: join(dir, 'reports'),
    api: opts.api !== false && {
      host: apiOf(config).host,
      port: opts.port ?? apiOf(config).port,
      localAccess: apiOf(config).localAccess,
    },
    onResult: (r) => {
      table.record(r);
      const key = `${r.probeId}@${r.region}`;
      if (last.get(key) !== r.outcome) {
        last.set(key, r.outcome);
        log.info(
          {
            probe_id: r.probeId,
            region: r.region,
            outcome: r.outcome,
            error_class: r.errorClass,
            total_ms: Math.round(r.phases.totalMs),
          },
          'probe state',
        );
      }
    },
  });
  log.info(
    {
      mode: app.mode,
      db: db.kind,
      probes: config.probes.length,
      api: app.apiUrl,
      ...(db.kind === 'pglite' ? { state_dir: dir } : {}),
    },
    'vigil running',
  );
  let timer: NodeJS.Timeout | null = null;
  if (tty) {
    const draw = () => {
      const cfg = app.scheduler.current();
      if (cfg) table.setProbes(cfg.probes);
      process.stdout.write(
        `\x1b[2J\x1b[H vigil · ${app.mode} mode · ${db.kind}${app.apiUrl ? ` · ${app.apiUrl}` : ''} · logs in ${join(dir, 'vigil.log')} · Ctrl-C to stop\n\n${table.render(process.stdout.columns || 120)}\n`,
      );
    };
    draw();
    timer = setInterval(draw, 1000);
  }
  onShutdown(log, async () => {
    if (timer) clearInterval(timer);
    await app.close();
    await db.close();
  });
}
