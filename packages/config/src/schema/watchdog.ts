import { z } from 'zod';
import { describeValue } from '../describe.js';
import { durationSchema } from '../duration.js';

const ENV_REF = /\$\{env:[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}/;
const HTTP_URL = /^https?:\/\/[^\s]+$/;
// a string value is not echoed: a mistyped URL may still hold the token
const urlError = (iss: { input?: unknown }) =>
  iss.input === undefined
    ? 'required'
    : `expected an http(s) URL or \${env:NAME}${typeof iss.input === 'string' ? '' : `, got ${describeValue(iss.input)}`}`;

/**
 * The outbound heartbeat (a healthchecks-style dead man's switch): the evaluator pings `url` every
 * `interval` while it sees fresh results from every region, so an outside system pages when Vigil is dead.
 * The URL usually carries a token: write it as `${env:NAME}`; it is resolved only when pinging.
 */
export const heartbeatSchema = () =>
  z.strictObject({
    url: z
      .string({ error: urlError })
      .refine((s) => ENV_REF.test(s) || HTTP_URL.test(s), { error: urlError }),
    interval: durationSchema({ minMs: 10_000, maxMs: 86_400_000 }).prefault('1m'),
    timeout: durationSchema({ minMs: 1_000, maxMs: 60_000 }).prefault('10s'),
  });

/** The monitor's own watchdog: a region silent for `intervals` of its fastest probe opens a `monitor` alert. */
export const watchdogSchema = () =>
  z.strictObject({
    intervals: z.int().min(1).max(100).default(2),
  });

export type HeartbeatConfig = z.output<ReturnType<typeof heartbeatSchema>>;
export type WatchdogConfig = z.output<ReturnType<typeof watchdogSchema>>;
