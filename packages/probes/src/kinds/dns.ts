import { Resolver } from 'node:dns';
import { performance } from 'node:perf_hooks';
import type { AssertionResult } from '@vigil/core';
import { z } from 'zod';
import { startDeadline } from '../deadline.js';
import { assertion, show } from '../expect/assertion.js';
import { matchResponseTime } from '../expect/common.js';
import { durationComparisonSchema } from '../expect/compare.js';
import { emptyPhases, round } from '../phases.js';
import { systemServers } from '../resolve.js';
import type { ProbeKind, ProbeRunOutput } from '../types.js';

export const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'TXT'] as const;
type DnsType = (typeof DNS_TYPES)[number];

const serverSchema = z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\])(:\d{1,5})?$/, {
  error: (iss) =>
    `expected a resolver address like "1.1.1.1", "127.0.0.1:5353" or "[::1]:53", got ${JSON.stringify(iss.input)}`,
});

export const dnsSpecSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(DNS_TYPES).default('A'),
  /** resolver to ask instead of the system's */
  server: serverSchema.optional(),
});
export type DnsSpec = z.infer<typeof dnsSpecSchema>;

const oneOrMany = z.union([z.string(), z.array(z.string()).min(1)]);

export const dnsExpectSchema = z
  .strictObject({
    /** the exact set of answers, in any order */
    answers: z.array(z.string()).min(1).optional(),
    /** answers that must be among those returned */
    contains: oneOrMany.optional(),
    responseTime: durationComparisonSchema.optional(),
  })
  .default({});
export type DnsExpect = z.infer<typeof dnsExpectSchema>;

/** Up when the name resolves to at least one record of the type (and to the expected ones, if given). */
export const dnsProbe: ProbeKind<DnsSpec, DnsExpect> = {
  kind: 'dns',
  spec: dnsSpecSchema,
  expect: dnsExpectSchema,
  async run(spec, expect, ctx): Promise<ProbeRunOutput> {
    const t0 = performance.now();
    const deadline = startDeadline(ctx.timeoutMs, ctx.signal);
    const resolver = new Resolver({ timeout: Math.min(2 ** 31 - 1, ctx.timeoutMs), tries: 1 });
    const onAbort = (): void => resolver.cancel();
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    let answers: string[] | null = null;
    let failure: Pick<ProbeRunOutput, 'errorClass' | 'message'> | null = null;
    try {
      resolver.setServers(spec.server === undefined ? systemServers() : [spec.server]);
      answers = await deadline.race(resolve(resolver, spec.name, spec.type));
    } catch (err) {
      failure = failureOf(err, spec, deadline.timedOut(), deadline.signal.aborted, ctx.timeoutMs);
    } finally {
      deadline.signal.removeEventListener('abort', onAbort);
      deadline.dispose();
    }
    const totalMs = deadline.endedAt() - t0;
    const phases = { ...emptyPhases(totalMs), dnsMs: round(totalMs) };
    const base = { phases, httpStatus: null, retryAfterS: null, tlsDaysLeft: null };
    if (failure || answers === null)
      return { ...base, outcome: 'down', errorClass: 'dns', message: null, ...failure, assertions: [] };
    const assertions = [
      assertion('answer', answers.length > 0, `at least one ${spec.type} record`, describe(answers)),
      ...matchAnswers(expect, answers, spec.type),
      ...matchResponseTime(expect.responseTime, phases.totalMs),
    ];
    const failed = assertions.filter((a) => !a.ok);
    if (failed.length === 0) return { ...base, outcome: 'up', errorClass: null, message: null, assertions };
    return {
      ...base,
      outcome: 'down',
      errorClass: answers.length === 0 ? 'dns' : 'assertion_failed',
      message: failed.map((a) => a.message).join('; '),
      assertions,
    };
  },
};

async function resolve(r: Resolver, name: string, type: DnsType): Promise<string[]> {
  const call = <T>(fn: (cb: (err: Error | null, v: T) => void) => void): Promise<T> =>
    new Promise((res, rej) => fn((err, v) => (err ? rej(err) : res(v))));
  switch (type) {
    case 'A':
      return call<string[]>((cb) => r.resolve4(name, cb));
    case 'AAAA':
      return call<string[]>((cb) => r.resolve6(name, cb));
    case 'CNAME':
      return call<string[]>((cb) => r.resolveCname(name, cb));
    case 'TXT':
      return (await call<string[][]>((cb) => r.resolveTxt(name, cb))).map((chunks) => chunks.join(''));
  }
}

function failureOf(
  err: unknown,
  spec: DnsSpec,
  timedOut: boolean,
  aborted: boolean,
  timeoutMs: number,
): Pick<ProbeRunOutput, 'errorClass' | 'message'> {
  if (timedOut) return { errorClass: 'timeout', message: `no DNS answer within ${timeoutMs}ms` };
  if (aborted) return { errorClass: 'internal', message: 'run cancelled' };
  const code = (err as { code?: unknown }).code;
  if (code === 'ETIMEOUT') return { errorClass: 'timeout', message: `no DNS answer for ${spec.name}` };
  if (code === 'ENODATA')
    return { errorClass: 'dns', message: `expected answer at least one ${spec.type} record, got none` };
  if (code === 'ENOTFOUND') return { errorClass: 'dns', message: `${spec.name} does not exist (NXDOMAIN)` };
  if (err instanceof TypeError || (err as { code?: unknown }).code === 'ERR_INVALID_IP_ADDRESS')
    return { errorClass: 'internal', message: `bad resolver address: ${(err as Error).message}` };
  const text = err instanceof Error ? err.message : String(err);
  return { errorClass: 'dns', message: `DNS query failed (${text})` };
}

function matchAnswers(e: DnsExpect, answers: string[], type: DnsType): AssertionResult[] {
  const norm = (s: string): string => (type === 'TXT' ? s : s.toLowerCase().replace(/\.$/, ''));
  const got = new Set(answers.map(norm));
  const out: AssertionResult[] = [];
  if (e.answers !== undefined) {
    const want = new Set(e.answers.map(norm));
    const same = want.size === got.size && [...want].every((a) => got.has(a));
    out.push(assertion('answer', same, `exactly ${describe(e.answers)}`, describe(answers)));
  }
  if (e.contains !== undefined) {
    const want = typeof e.contains === 'string' ? [e.contains] : e.contains;
    const ok = want.every((a) => got.has(norm(a)));
    out.push(assertion('answer', ok, `to include ${describe(want)}`, describe(answers)));
  }
  return out;
}

function describe(answers: readonly string[]): string {
  return answers.length === 0 ? 'none' : `[${answers.map((a) => show(a)).join(', ')}]`;
}
