import type { HttpSpec } from './spec.js';

export interface PreparedRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** header names that carry credentials: dropped when a redirect leaves the origin */
  credentialHeaders: string[];
}

export const USER_AGENT = 'vigil-synthetic-monitor/0.1';

/** The first request of a run from a spec whose `${env:…}` references are already resolved. */
export function prepareRequest(spec: HttpSpec): PreparedRequest {
  const url = new URL(spec.url);
  for (const [k, v] of Object.entries(spec.query)) url.searchParams.append(k, v);
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  for (const [k, v] of Object.entries(spec.headers)) headers[k.toLowerCase()] = v;
  const credentialHeaders = ['authorization', 'cookie', 'proxy-authorization'];
  const auth = spec.auth;
  if (auth && 'bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
  else if (auth && 'basic' in auth)
    headers.authorization = `Basic ${basicCredentials(auth.basic.username, auth.basic.password)}`;
  else if (auth && 'header' in auth) {
    headers[auth.header.name.toLowerCase()] = auth.header.value;
    credentialHeaders.push(auth.header.name.toLowerCase());
  } else if (auth && 'query' in auth) url.searchParams.append(auth.query.name, auth.query.value);
  let body = spec.body;
  if (spec.json !== undefined) {
    body = JSON.stringify(spec.json);
    headers['content-type'] ??= 'application/json';
  }
  return { url, method: spec.method, headers, body, credentialHeaders };
}

export function basicCredentials(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64');
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The request a redirect leads to, or null when `status`/`location` is not a followable redirect. */
export function redirectTarget(
  prev: PreparedRequest,
  status: number,
  location: string | undefined,
): PreparedRequest | null {
  if (!REDIRECTS.has(status) || location === undefined || !URL.canParse(location, prev.url.href)) return null;
  const url = new URL(location, prev.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const headers = { ...prev.headers };
  if (url.origin !== prev.url.origin) for (const h of prev.credentialHeaders) delete headers[h];
  const toGet = status === 303 || ((status === 301 || status === 302) && prev.method === 'POST');
  if (toGet) {
    delete headers['content-type'];
    delete headers['content-length'];
  }
  return {
    url,
    method: toGet && prev.method !== 'HEAD' ? 'GET' : prev.method,
    headers,
    body: toGet ? undefined : prev.body,
    credentialHeaders: prev.credentialHeaders,
  };
}
