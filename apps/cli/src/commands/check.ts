import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ProbeResult, ProbeSpec } from '@vigil/core';
import { runProbe } from '@vigil/probes';
import { systemClock } from '@vigil/runtime';
import { configRoot, loadOrExit } from '../context.js';
import { formatMs, mapLimit } from '../format.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('run probes now and print phases and assertions (exit 1 if any is down)')
    .argument('[target]', 'a probe id, or a probe file/folder; default: every probe')
    .option('--json', 'print results as JSON lines')
    .option('--region <name>', 'region label for the results', 'local')
    .action(async (target: string | undefined, opts: { json?: boolean; region: string }, cmd: Command) => {
      const root = configRoot(cmd);
      const asPath = target !== undefined && existsSync(resolve(root, target));
      const config = await loadOrExit(root, asPath ? [target] : undefined);
      let probes = config.probes;
      if (target !== undefined && !asPath) {
        probes = probes.filter((p) => p.id === target);
        if (probes.length === 0) {
          console.error(`vigil: no probe with id "${target}" (and no such file)`);
          process.exitCode = 2;
          return;
        }
      }
      const results = await mapLimit(probes, 16, (p) =>
        runProbe(p, {
          env: process.env,
          clock: systemClock,
          region: opts.region,
          slotAt: systemClock.now(),
          workerId: 'cli',
        }),
      );
      probes.forEach((p, i) => {
        const r = results[i]!;
        if (opts.json) console.log(JSON.stringify({ probe: p.id, name: p.name, ...r }));
        else printResult(p, r);
      });
      if (results.some((r) => r.outcome === 'down')) process.exitCode = 1;
    });
}

function printResult(p: ProbeSpec, r: ProbeResult): void {
  const mark = r.outcome === 'up' ? '✓ up' : r.outcome === 'rate_limited' ? '~ rate limited' : '✗ down';
  const status = r.httpStatus !== null ? ` HTTP ${r.httpStatus}` : '';
  console.log(
    `${mark}  ${p.id}${status}  ${formatMs(r.phases.totalMs)}${r.errorClass ? `  [${r.errorClass}]` : ''}`,
  );
  const ph = r.phases;
  console.log(
    `   dns ${formatMs(ph.dnsMs)} · connect ${formatMs(ph.connectMs)} · tls ${formatMs(ph.tlsMs)} · ttfb ${formatMs(ph.ttfbMs)} · transfer ${formatMs(ph.transferMs)}`,
  );
  for (const a of r.assertions) console.log(`   ${a.ok ? '✓' : '✗'} ${a.message}`);
  if (r.message && r.assertions.every((a) => a.ok)) console.log(`   ${r.message}`);
}
