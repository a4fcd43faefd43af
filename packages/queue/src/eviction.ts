import { QueueError } from './errors.js';
import { connect } from './redis.js';

/**
 * Pure: the problem with a Redis `maxmemory-policy`, or null when it is `noeviction`. Any other policy
 * lets Redis silently drop schedulers, jobs and buffered results under memory pressure.
 */
export function evictionPolicyProblem(policy: string | null): QueueError | null {
  if (policy === 'noeviction') return null;
  if (policy === null)
    return new QueueError('EVICTION_POLICY_UNKNOWN', 'could not read Redis maxmemory-policy');
  return new QueueError(
    'EVICTION_POLICY',
    `Redis maxmemory-policy is "${policy}"; Vigil needs "noeviction" so jobs and results are never dropped`,
  );
}

/** Rejects with a QueueError unless the Redis at `redisUrl` has `maxmemory-policy noeviction`. */
export async function assertNoEviction(redisUrl: string): Promise<void> {
  const client = connect(redisUrl);
  try {
    let policy: string | null;
    try {
      const reply = (await client.config('GET', 'maxmemory-policy')) as unknown;
      policy = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : null;
    } catch (err) {
      throw new QueueError('EVICTION_POLICY_UNKNOWN', 'could not read Redis maxmemory-policy', {
        cause: err,
      });
    }
    const problem = evictionPolicyProblem(policy);
    if (problem) throw problem;
  } finally {
    client.disconnect();
  }
}
