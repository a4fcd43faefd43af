import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { REDIS_URL } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoEviction } from './eviction.js';
import { createProbeWorker, probeWorkerStarter } from './worker.js';

/** A private, throw-away redis-server with an evicting policy (the shared Redis is never reconfigured). */
async function startEvictingRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = 30_000 + Math.floor(Math.random() * 10_000);
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

describe('Redis eviction policy check', () => {
  let evicting: Awaited<ReturnType<typeof startEvictingRedis>>;
  beforeAll(async () => {
    evicting = await startEvictingRedis();
  });
  afterAll(async () => {
    await evicting.stop();
  });

  it('passes on a Redis with noeviction', async () => {
    await expect(assertNoEviction(REDIS_URL)).resolves.toBeUndefined();
  });

  it('rejects a Redis with allkeys-lru', async () => {
    await expect(assertNoEviction(evicting.url)).rejects.toMatchObject({
      code: 'EVICTION_POLICY',
      message: expect.stringContaining('allkeys-lru') as string,
    });
  });

  it('a worker refuses to start on it', async () => {
    await expect(
      createProbeWorker({ redisUrl: evicting.url, region: 'eu', handler: async () => undefined }),
    ).rejects.toMatchObject({ code: 'EVICTION_POLICY' });
  });

  it('refuses it before a worker can be started later (probeWorkerStarter, as the worker role checks first)', async () => {
    await expect(probeWorkerStarter(evicting.url)).rejects.toMatchObject({ code: 'EVICTION_POLICY' });
  });
});
