import { providerOf, type ProviderStatusPageConfig, type VigilConfig } from '@vigil/config';
import { redact, resolveEnv, secretValues, type Clock, type Env } from '@vigil/core';
import {
  claimStatusPoll,
  recordPollFailed,
  recordPollUnchanged,
  storeStatusSnapshot,
  type Db,
  type StatusPagePoll,
} from '@vigil/db';
import { parseStatusPage, statusPageProviders } from '@vigil/evaluation';

/** A summary larger than this is refused (GitHub's busiest summary.json is well under 200 KB). */
export const STATUS_PAGE_MAX_BYTES = 2 * 1024 * 1024;
const USER_AGENT = 'Vigil status-page poller (polls at most once a minute, conditional requests)';

/** What one poll of one provider's page came to. */
export type PollOutcome =
  | {
      provider: string;
      outcome: 'updated';
      started: number;
      ended: number;
      declarations: number;
      /** `statusPage.components` the page does not list (told once per provider and list) */
      unknownComponents?: string[];
    }
  | { provider: string; outcome: 'unchanged' }
  | { provider: string; outcome: 'failed'; error: string };

export type StatusPageEvent = PollOutcome & { url: string };

export interface StatusPageRequest {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
}
export interface StatusPageResponse {
  status: number;
  etag: string | null;
  lastModified: string | null;
  /** null on a 304 */
  body: string | null;
}
/** One GET of a status page; throws on a network error or timeout. */
export type StatusPageFetch = (r: StatusPageRequest) => Promise<StatusPageResponse>;

export interface StatusPagePollerOptions {
  db: Db;
  config: () => VigilConfig | null;
  clock: Clock;
  /** where `${env:…}` in a status page URL is resolved, at request time only */
  env: Env;
  /** who claims the polls (one evaluator polls each page per interval) */
  holder: string;
  /** @defaultValue a GET with fetch, body capped at STATUS_PAGE_MAX_BYTES */
  fetch?: StatusPageFetch;
  onEvent?: (e: StatusPageEvent) => void;
}

export interface StatusPagePoller {
  /** polls each provider whose page is due and that this process claims; never overlaps itself */
  tick(): Promise<PollOutcome[]>;
  /** resolves once no poll is running (on shutdown) */
  idle(): Promise<void>;
}

/**
 * Polls `providers.<name>.statusPage` pages: politely (at most once per `interval`, ≥ 1 min, across all
 * evaluators: the poll is claimed in Postgres before the request), conditionally (If-None-Match /
 * If-Modified-Since; a 304 changes nothing), with a timeout. A failed poll — network, HTTP status, bad
 * JSON, a body that is not the configured format — is reported (provider and URL) and stored as the
 * page's last error; the last good declarations stand.
 */
export function createStatusPagePoller(o: StatusPagePollerOptions): StatusPagePoller {
  const get = o.fetch ?? fetchStatusPage;
  let running: Promise<PollOutcome[]> | null = null;
  const warned = new Set<string>();

  async function pollOne(provider: string, cfg: ProviderStatusPageConfig): Promise<PollOutcome | null> {
    const now = new Date(o.clock.now());
    const claim = await claimStatusPoll(o.db, {
      provider,
      url: cfg.url,
      holder: o.holder,
      now,
      intervalMs: cfg.interval,
    });
    if (!claim) return null;
    const url = resolveEnv(cfg.url, o.env);
    const secrets = [...secretValues(cfg.url, o.env)];
    const fail = async (error: string): Promise<PollOutcome> => {
      const clean = redact(error, secrets);
      await recordPollFailed(o.db, provider, new Date(o.clock.now()), clean);
      return { provider, outcome: 'failed', error: clean };
    };
    let res: StatusPageResponse;
    try {
      res = await get({ url, headers: conditionalHeaders(claim), timeoutMs: cfg.timeout });
    } catch (err) {
      return fail(requestError(err, cfg.timeout));
    }
    const seenAt = new Date(o.clock.now());
    if (res.status === 304) {
      await recordPollUnchanged(o.db, provider, seenAt);
      return { provider, outcome: 'unchanged' };
    }
    if (res.status < 200 || res.status >= 300) return fail(`HTTP ${res.status}`);
    let doc: unknown;
    try {
      doc = JSON.parse(res.body ?? '');
    } catch (err) {
      return fail(`not JSON: ${(err as Error).message}`);
    }
    let snap;
    try {
      snap = parseStatusPage(doc, cfg, seenAt);
    } catch (err) {
      return fail((err as Error).message);
    }
    const r = await storeStatusSnapshot(
      o.db,
      provider,
      snap,
      { etag: res.etag, lastModified: res.lastModified },
      seenAt,
    );
    const listed = new Set(snap.components.map((c) => c.name.toLowerCase()));
    const unknown = (cfg.components ?? []).filter((c) => !listed.has(c.toLowerCase()));
    const told = `${provider}\u0000${unknown.join('\u0000')}`;
    const tell = snap.components.length > 0 && unknown.length > 0 && !warned.has(told);
    if (tell) warned.add(told);
    return {
      provider,
      outcome: 'updated',
      ...r,
      declarations: snap.declarations.length,
      ...(tell ? { unknownComponents: unknown } : {}),
    };
  }

  async function run(): Promise<PollOutcome[]> {
    const config = o.config();
    if (!config) return [];
    const out: PollOutcome[] = [];
    for (const provider of statusPageProviders(config)) {
      const cfg = providerOf(config, provider).statusPage!;
      const r = await pollOne(provider, cfg);
      if (!r) continue;
      out.push(r);
      o.onEvent?.({ ...r, url: cfg.url });
    }
    return out;
  }

  return {
    tick() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
    async idle() {
      await running?.catch(() => undefined);
    },
  };
}

function conditionalHeaders(poll: StatusPagePoll): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
  if (poll.etag) h['if-none-match'] = poll.etag;
  if (poll.lastModified) h['if-modified-since'] = poll.lastModified;
  return h;
}

function requestError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  if (e.name === 'StatusPageTooLarge') return e.message ?? 'body too large';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

/** The default fetch: a GET, redirects followed, the body read up to STATUS_PAGE_MAX_BYTES. */
export const fetchStatusPage: StatusPageFetch = async (r) => {
  const signal = AbortSignal.timeout(r.timeoutMs);
  const res = await fetch(r.url, { method: 'GET', headers: r.headers, redirect: 'follow', signal });
  const meta = {
    status: res.status,
    etag: res.headers.get('etag'),
    lastModified: res.headers.get('last-modified'),
  };
  if (res.status === 304 || !res.body) {
    await res.body?.cancel();
    return { ...meta, body: null };
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > STATUS_PAGE_MAX_BYTES) {
      await reader.cancel();
      const err = new Error(`body larger than ${STATUS_PAGE_MAX_BYTES} bytes`);
      err.name = 'StatusPageTooLarge';
      throw err;
    }
    chunks.push(value);
  }
  return { ...meta, body: Buffer.concat(chunks).toString('utf8') };
};
