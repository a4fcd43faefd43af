import { Redis } from 'ioredis';

/** BullMQ needs `maxRetriesPerRequest: null` on connections it blocks on; we use it everywhere. */
export function connect(redisUrl: string): Redis {
  return new Redis(redisUrl, { maxRetriesPerRequest: null });
}

export const DEFAULT_PREFIX = 'vigil';
