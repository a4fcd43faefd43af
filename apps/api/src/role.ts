import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApi } from './app.js';
import { isLoopback } from './auth.js';
import type { ApiDeps } from './deps.js';

export interface ApiRoleOptions extends ApiDeps {
  /** @defaultValue 127.0.0.1 */
  host?: string;
  /** 0 picks a free port; @defaultValue 8080 */
  port?: number;
}

export interface ApiRole {
  /** e.g. `http://127.0.0.1:8080` */
  url: string;
  close(): Promise<void>;
}

/** Serves the web surface on host:port until close(). Local access without a token only on a loopback host. */
export async function startApiRole(o: ApiRoleOptions): Promise<ApiRole> {
  const host = o.host ?? '127.0.0.1';
  const localAccess = (o.localAccess ?? false) && (isLoopback(host) || host === 'localhost');
  const app = createApi({ ...o, localAccess });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: o.port ?? 8080 }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  o.log.info(
    { url, localAccess },
    localAccess
      ? 'api listening; local requests need no token'
      : 'api listening; every private route needs a token',
  );
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        // SSE streams stay open: end every connection rather than wait for them
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
