import { createServer } from 'node:net';
import type { Phases, ProbeSpec } from '@vigil/core';

/** A ProbeSpec for tests: only the parts a run looks at are meaningful. */
export function probeSpec(
  kind: string,
  spec: Record<string, unknown>,
  expect: unknown = {},
  timeoutMs = 3000,
): ProbeSpec {
  return {
    id: `test-${kind}`,
    name: `test ${kind}`,
    provider: 'test',
    service: 'test',
    critical: false,
    schedule: { type: 'interval', everyMs: 60_000 },
    timeoutMs,
    regions: ['local'],
    sloTarget: 0.98,
    labels: {},
    runbook: null,
    kind,
    spec,
    expect,
    source: { file: 'probes/test.yaml', line: 1, col: 1 },
  };
}

/** A local port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export const PHASE_SLACK_MS = 1;

/** The sum of the phases that happened. */
export function phaseSum(p: Phases): number {
  return (p.dnsMs ?? 0) + (p.connectMs ?? 0) + (p.tlsMs ?? 0) + (p.ttfbMs ?? 0) + (p.transferMs ?? 0);
}
