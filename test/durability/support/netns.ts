import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function ip(args: string[]): Promise<void> {
  await run('ip', args);
}

/**
 * A network namespace joined to the host by a veth pair on a private /30. The host side holds the
 * infrastructure address (`hostIp`, for TCP forwarders to Redis and Postgres) and, on a second subnet
 * reached through one route of the namespace, the targets' address (`targetIp`). Nothing leaves the
 * two ends: no forwarding, no NAT, no iptables.
 */
export interface RegionNamespace {
  name: string;
  hostIp: string;
  targetIp: string;
  /** deletes the namespace's route to the targets (their connects fail at once, infra stays up) */
  cutTargets(): Promise<void>;
  restoreTargets(): Promise<void>;
  /** takes the namespace's end of the link down: the region loses everything, Redis and Postgres too */
  linkDown(): Promise<void>;
  linkUp(): Promise<void>;
  close(): Promise<void>;
}

/** Why namespaces cannot be made here, or null when they can (root and iproute2 with netns). */
export async function netnsUnavailable(): Promise<string | null> {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const probe = `vigil-check-${randomBytes(3).toString('hex')}`;
  try {
    await ip(['netns', 'add', probe]);
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    return e.code === 'ENOENT'
      ? '`ip` (iproute2) is not installed'
      : `\`ip netns add\` failed: ${(e.stderr ?? String(err)).trim()}`;
  }
  await ip(['netns', 'del', probe]);
  return null;
}

/** Creates a namespace with unique names and addresses for this run; close() removes all of it. */
export async function createRegionNamespace(): Promise<RegionNamespace> {
  const id = randomBytes(3).toString('hex');
  const name = `vigil-cut-${id}`;
  const host = `vgh${id}`;
  const peer = `vgn${id}`;
  const net = `10.${randomInt(200, 250)}.${randomInt(0, 256)}`;
  const hostIp = `${net}.1`;
  const nsIp = `${net}.2`;
  const targetIp = `${net}.5`;
  const inNs = (args: string[]) => ip(['netns', 'exec', name, 'ip', ...args]);
  const close = async () => {
    await ip(['link', 'del', host]).catch(() => undefined);
    await ip(['netns', 'del', name]).catch(() => undefined);
  };
  try {
    await ip(['netns', 'add', name]);
    await ip(['link', 'add', host, 'type', 'veth', 'peer', 'name', peer]);
    await ip(['link', 'set', peer, 'netns', name]);
    await ip(['addr', 'add', `${hostIp}/30`, 'dev', host]);
    await ip(['addr', 'add', `${targetIp}/32`, 'dev', host]);
    await ip(['link', 'set', host, 'up']);
    await inNs(['link', 'set', 'lo', 'up']);
    await inNs(['addr', 'add', `${nsIp}/30`, 'dev', peer]);
    await inNs(['link', 'set', peer, 'up']);
    await inNs(['route', 'add', `${targetIp}/32`, 'via', hostIp]);
  } catch (err) {
    await close();
    throw err;
  }
  return {
    name,
    hostIp,
    targetIp,
    cutTargets: () => inNs(['route', 'del', `${targetIp}/32`]),
    restoreTargets: () => inNs(['route', 'add', `${targetIp}/32`, 'via', hostIp]),
    linkDown: () => inNs(['link', 'set', peer, 'down']),
    async linkUp() {
      await inNs(['link', 'set', peer, 'up']);
      // the route via the link went with it
      await inNs(['route', 'replace', `${targetIp}/32`, 'via', hostIp]);
    },
    close,
  };
}
