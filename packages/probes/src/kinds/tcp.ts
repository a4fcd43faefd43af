import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { classifyNetworkError } from '../classify.js';
import { connectionPhases, timedConnector, type ConnectionTiming } from '../connector.js';
import { startDeadline } from '../deadline.js';
import { daysLeft, matchDaysLeft, matchResponseTime } from '../expect/common.js';
import { comparisonSchema, durationComparisonSchema } from '../expect/compare.js';
import { emptyPhases, round } from '../phases.js';
import type { ProbeKind, ProbeRunOutput } from '../types.js';

export const tcpSpecSchema = z.strictObject({
  host: z.string().min(1),
  port: z.int().min(1).max(65535),
  /** `true`, or options, to complete a TLS handshake after connecting */
  tls: z
    .union([
      z.boolean(),
      z.strictObject({
        verify: z.boolean().default(true),
        ca: z.string().optional(),
        servername: z.string().optional(),
      }),
    ])
    .default(false),
});
export type TcpSpec = z.infer<typeof tcpSpecSchema>;

export const tcpExpectSchema = z
  .strictObject({
    responseTime: durationComparisonSchema.optional(),
    tls: z.strictObject({ daysLeft: comparisonSchema }).optional(),
  })
  .default({});
export type TcpExpect = z.infer<typeof tcpExpectSchema>;

/** Up when a TCP connection (and, if asked, a verified TLS handshake) completes in time. */
export const tcpProbe: ProbeKind<TcpSpec, TcpExpect> = {
  kind: 'tcp',
  spec: tcpSpecSchema,
  expect: tcpExpectSchema,
  async run(spec, expect, ctx): Promise<ProbeRunOutput> {
    const t0 = performance.now();
    const tls = spec.tls === false ? null : spec.tls === true ? { verify: true } : spec.tls;
    const deadline = startDeadline(ctx.timeoutMs, ctx.signal);
    const connector = timedConnector(tls ?? { verify: true }, deadline);
    let failure: { errorClass: ProbeRunOutput['errorClass']; message: string } | null = null;
    let socket: Socket | undefined;
    try {
      await deadline.race(
        new Promise<void>((resolve, reject) => {
          socket = connector.open(
            { hostname: spec.host, protocol: tls ? 'https:' : 'http:', port: String(spec.port) },
            (err, sock) => {
              if (err) reject(err);
              else {
                sock?.destroy();
                resolve();
              }
            },
          );
        }),
      );
    } catch (err) {
      socket?.destroy();
      if (deadline.timedOut())
        failure = { errorClass: 'timeout', message: `no connection within ${ctx.timeoutMs}ms` };
      else if (deadline.signal.aborted) failure = { errorClass: 'internal', message: 'run cancelled' };
      else failure = classifyNetworkError(err);
    } finally {
      deadline.dispose();
    }
    const c: ConnectionTiming | undefined = connector.connections[0];
    const phases = emptyPhases(deadline.endedAt() - t0);
    if (c) {
      const p = connectionPhases(c);
      phases.dnsMs = p.dnsMs === null ? null : round(p.dnsMs);
      phases.connectMs = p.connectMs === null ? null : round(p.connectMs);
      phases.tlsMs = p.tlsMs === null ? null : round(p.tlsMs);
    }
    const certValidTo = c?.certValidTo ?? null;
    const tlsDaysLeft = daysLeft(certValidTo, ctx.clock.now());
    const base = { phases, httpStatus: null, retryAfterS: null, tlsDaysLeft };
    if (failure) return { ...base, outcome: 'down', ...failure, assertions: [] };
    const assertions = [
      ...matchResponseTime(expect.responseTime, phases.totalMs),
      ...matchDaysLeft(expect.tls?.daysLeft, tlsDaysLeft),
    ];
    const failed = assertions.filter((a) => !a.ok);
    if (failed.length === 0) return { ...base, outcome: 'up', errorClass: null, message: null, assertions };
    return {
      ...base,
      outcome: 'down',
      errorClass: 'assertion_failed',
      message: failed.map((a) => a.message).join('; '),
      assertions,
    };
  },
};
