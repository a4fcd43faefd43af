// Child process: the simulator with one plain `ok` route that Vigil and blackbox_exporter both probe.
import { startSimulator } from '@vigil/simulator';

export const BENCH_ROUTE = '/bench';

const sim = await startSimulator({ routes: { [BENCH_ROUTE]: { behavior: { mode: 'ok' } } } });
process.on('message', (msg: { type?: string }) => {
  if (msg.type === 'count') process.send?.({ type: 'count:reply', requests: sim.requests(BENCH_ROUTE) });
});
const stop = () => void sim.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.send?.({ type: 'ready', url: `${sim.httpUrl}${BENCH_ROUTE}` });
