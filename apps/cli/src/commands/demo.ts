import { resolve } from 'node:path';
import type { Command } from 'commander';
import { demoScenario, startSimulator } from '@vigil/simulator';
import { port } from '../options.js';
import { runCommand } from './run.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start the simulator with scripted outages and monitor it with probes/demo (embedded mode)')
    .option('--port <n>', 'simulator HTTP port', port, 4010)
    .option('--https-port <n>', 'simulator HTTPS port', port, 4443)
    .option('--no-table', 'log JSON lines even on a terminal')
    .action(async (opts: { port: number; httpsPort: number; table: boolean }) => {
      const sim = await startSimulator({
        httpPort: opts.port,
        httpsPort: opts.httpsPort,
        routes: demoScenario(),
      });
      process.env.SIM_URL = sim.httpUrl;
      process.env.SIM_HTTPS_URL = sim.httpsUrl;
      await runCommand(resolve('probes/demo'), [], {
        concurrency: 50,
        table: opts.table,
        stateDir: resolve(process.env.VIGIL_STATE_DIR ?? '.vigil', 'demo'),
      });
    });
}
