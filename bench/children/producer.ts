// Child process: keeps a region's queue full of probe jobs shaped like Job Scheduler ticks.
import { Queue } from 'bullmq';
import { PROBE_JOB_OPTIONS, queueName, schedulerJobId, type ProbeJob } from '@vigil/queue';

interface Start {
  type: 'start';
  redisUrl: string;
  prefix: string;
  region: string;
  probes: { id: string; hash: string }[];
  /** keep at least this many jobs waiting */
  backlog: number;
  /** hard stop, so the loop is bounded even if the parent dies */
  maxMs: number;
}

const BULK = 500;
const TICK_MS = 20;
let added = 0;
let stopping = false;

process.on('message', (msg: { type?: string }) => {
  if (msg.type === 'start') void produce(msg as Start).catch(fail);
  if (msg.type === 'count') process.send?.({ type: 'count:reply', added });
});
process.on('SIGTERM', () => {
  stopping = true;
});
process.send?.({ type: 'ready' });

async function produce(o: Start): Promise<void> {
  const queue = new Queue(queueName(o.region), {
    connection: { url: o.redisUrl, maxRetriesPerRequest: null },
    prefix: o.prefix,
  });
  const deadline = Date.now() + o.maxMs;
  // one slot per round over every probe: slot times only need to be unique per probe
  const base = Math.floor(Date.now() / 1000) * 1000;
  let n = 0;
  process.send?.({ type: 'started' });
  while (!stopping && Date.now() < deadline) {
    const waiting = await queue.getWaitingCount();
    if (waiting < o.backlog) {
      const jobs = [];
      for (let i = 0; i < Math.min(BULK, o.backlog - waiting); i++, n++) {
        const p = o.probes[n % o.probes.length]!;
        const data: ProbeJob = {
          probeId: p.id,
          region: o.region,
          slotAt: base + Math.floor(n / o.probes.length) * 1000,
          specHash: p.hash,
        };
        jobs.push({
          name: 'probe',
          data,
          opts: { ...PROBE_JOB_OPTIONS, jobId: schedulerJobId(p.id, data.slotAt) },
        });
      }
      await queue.addBulk(jobs);
      added += jobs.length;
    } else await new Promise((r) => setTimeout(r, TICK_MS));
  }
  await queue.close();
  process.exit(0);
}

function fail(err: unknown): void {
  process.stderr.write(`producer failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
}
