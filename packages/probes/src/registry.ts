import type { z } from 'zod';
import { dnsProbe } from './kinds/dns.js';
import { heartbeatProbe } from './kinds/heartbeat.js';
import { httpProbe } from './kinds/http.js';
import { tcpProbe } from './kinds/tcp.js';
import type { ProbeKind } from './types.js';

/** Every probe kind by name. Adding a kind: one file under kinds/ and one line here. */
export const probeKinds = {
  http: httpProbe,
  tcp: tcpProbe,
  dns: dnsProbe,
  heartbeat: heartbeatProbe,
} satisfies Record<string, ProbeKind<unknown, unknown>>;

export type ProbeKindName = keyof typeof probeKinds;

/** The YAML schemas of each kind's own block and its `expect` block (used by packages/config). */
export const probeKindSchemas: Record<string, { spec: z.ZodType; expect: z.ZodType }> = Object.fromEntries(
  Object.entries(probeKinds).map(([name, k]) => [name, { spec: k.spec, expect: k.expect }]),
);

export function probeKind(name: string): ProbeKind<unknown, unknown> | undefined {
  return Object.hasOwn(probeKinds, name)
    ? (probeKinds[name as ProbeKindName] as ProbeKind<unknown, unknown>)
    : undefined;
}
