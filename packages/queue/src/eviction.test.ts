import { describe, expect, it } from 'vitest';
import { evictionPolicyProblem } from './eviction.js';

describe('evictionPolicyProblem', () => {
  it('accepts noeviction', () => {
    expect(evictionPolicyProblem('noeviction')).toBeNull();
  });

  it.each(['allkeys-lru', 'volatile-lru', 'allkeys-random', 'volatile-ttl', 'allkeys-lfu'])(
    'refuses %s',
    (policy) => {
      expect(evictionPolicyProblem(policy)).toMatchObject({ code: 'EVICTION_POLICY' });
      expect(evictionPolicyProblem(policy)?.message).toContain(policy);
    },
  );

  it('refuses a policy it could not read', () => {
    expect(evictionPolicyProblem(null)).toMatchObject({ code: 'EVICTION_POLICY_UNKNOWN' });
  });
});
