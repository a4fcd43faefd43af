import { describe, expect, it } from 'vitest';
import { QueueError } from './errors.js';
import { parseProbeJob, queueName, schedulerJobId, slotAtFromJobId } from './jobs.js';

describe('probe job payloads', () => {
  it('keeps ids and the slot time and drops anything else, such as a secret', () => {
    const job = parseProbeJob({
      probeId: 'stripe-charges',
      region: 'eu-west',
      slotAt: 1_700_000_000_000,
      specHash: 'abc',
      headers: { authorization: 'Bearer sk_live_x' },
    });
    expect(job).toEqual({
      probeId: 'stripe-charges',
      region: 'eu-west',
      slotAt: 1_700_000_000_000,
      specHash: 'abc',
    });
  });

  it.each([
    ['a missing slot time', { probeId: 'p', region: 'eu', specHash: 'h' }],
    ['a fractional slot time', { probeId: 'p', region: 'eu', specHash: 'h', slotAt: 1.5 }],
    ['an empty probe id', { probeId: '', region: 'eu', specHash: 'h', slotAt: 1 }],
    ['a region with a colon', { probeId: 'p', region: 'eu:west', specHash: 'h', slotAt: 1 }],
    ['no object at all', 'probe'],
  ])('rejects %s with INVALID_PAYLOAD', (_name, input) => {
    expect(() => parseProbeJob(input)).toThrowError(
      expect.objectContaining({ code: 'INVALID_PAYLOAD' }) as QueueError,
    );
  });

  it('names one queue per region', () => {
    expect(queueName('us-east')).toBe('probes-us-east');
  });
});

describe('slotAtFromJobId', () => {
  it.each([
    ['repeat:stripe:1700000000000', 'stripe', 1_700_000_000_000],
    ['repeat:a:b:42', 'a:b', 42],
    ['repeat:stripe:17x', 'stripe', null],
    ['repeat:other:42', 'stripe', null],
    ['42', 'stripe', null],
    ['repeat:stripe:', 'stripe', null],
  ])('reads %s of probe %s as %s', (jobId, probeId, expected) => {
    expect(slotAtFromJobId(jobId, probeId)).toBe(expected);
  });

  it('inverts schedulerJobId', () => {
    expect(slotAtFromJobId(schedulerJobId('p:1', 123), 'p:1')).toBe(123);
  });
});
