import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WaitableList } from './wait.js';

export interface SlackPost {
  /** parsed JSON (or the `payload` field of a form post), else the raw text */
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface SlackStandIn {
  /** an incoming-webhook URL: any path on this server is accepted */
  url: string;
  /** posts answered 200 `ok`, in arrival order */
  posts: SlackPost[];
  /** every request received, including those answered with a failure */
  readonly attempts: number;
  /** answers the next `n` posts with `status` (429 also sends Retry-After: 1) and records none of them */
  failNext(n: number, status?: number): void;
  waitFor(n: number, timeoutMs: number): Promise<SlackPost[]>;
  close(): Promise<void>;
}

const SLACK_ERRORS: Record<number, string> = {
  400: 'invalid_payload',
  403: 'invalid_token',
  404: 'no_service',
  410: 'channel_is_archived',
  429: 'rate_limited',
};

/** A local HTTP server answering like Slack's incoming webhooks, recording what it is sent. */
export async function startSlackStandIn(): Promise<SlackStandIn> {
  const list = new WaitableList<SlackPost>('slack posts');
  const failures: number[] = [];
  const sockets = new Set<Socket>();
  let attempts = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      attempts++;
      const fail = failures.shift();
      if (fail !== undefined) {
        const headers: Record<string, string> = { 'content-type': 'text/html' };
        if (fail === 429) headers['retry-after'] = '1';
        res.writeHead(fail, headers);
        return void res.end(SLACK_ERRORS[fail] ?? 'internal_error');
      }
      const text = Buffer.concat(chunks).toString('utf8');
      list.push({ body: parse(text, req.headers['content-type']), headers: req.headers });
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('ok');
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`,
    posts: list.items,
    get attempts() {
      return attempts;
    },
    failNext(n, status = 500) {
      for (let i = 0; i < n; i++) failures.push(status);
    },
    waitFor: (n, timeoutMs) => list.waitFor(n, timeoutMs),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

function parse(text: string, contentType: string | undefined): unknown {
  try {
    if (contentType?.includes('x-www-form-urlencoded')) {
      const payload = new URLSearchParams(text).get('payload');
      return payload === null ? text : (JSON.parse(payload) as unknown);
    }
    return JSON.parse(text) as unknown;
  } catch (err) {
    if (err instanceof SyntaxError) return text;
    throw err;
  }
}
