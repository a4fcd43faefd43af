import { Option, type Command } from 'commander';
import { demoScenario, fleetRoutes, startSimulator } from '@vigil/simulator';
import { port } from '../options.js';

interface SimOptions {
  port: number;
  httpsPort: number;
  scenario: 'fleet' | 'demo';
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('serve a fleet of fake third-party APIs on 127.0.0.1 with scripted outages')
    .option('--port <n>', 'HTTP port (0: any free port)', port, 4010)
    .option('--https-port <n>', 'HTTPS port (self-signed)', port, 4443)
    .addOption(
      new Option('--scenario <name>', 'fleet (always healthy) or demo (scripted outages)')
        .choices(['fleet', 'demo'])
        .default('demo'),
    )
    .action(async (opts: SimOptions) => {
      const sim = await startSimulator({
        httpPort: opts.port,
        httpsPort: opts.httpsPort,
        routes: opts.scenario === 'demo' ? demoScenario() : fleetRoutes,
      });
      console.log(`simulator: ${sim.httpUrl}  ${sim.httpsUrl}  (Ctrl-C to stop)`);
      const stop = () => void sim.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
}
