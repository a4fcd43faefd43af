import { Redactor } from '@vigil/core';
import type { HttpSpec, RedirectPolicy } from './spec.js';

export interface PreparedRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** the configured origin: the only one that is ever sent `secretHeaders` or a body holding a secret */
  origin: string;
  /** header names that carry credentials or a resolved secret */
  secretHeaders: string[];
  /** the body holds a resolved secret */
  secretBody: boolean;
  redirects: RedirectPolicy;
}

export const USER_AGENT = 'vigil-synthetic-monitor/0.1';
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * The first request of a run from a spec whose `${env:…}` references are already resolved; `secrets`
 * (the resolved values) tell which headers and body must never leave the configured origin.
 */
export function prepareRequest(spec: HttpSpec, secrets: Redactor = Redactor.none): PreparedRequest {
  const url = new URL(spec.url);
  for (const [k, v] of Object.entries(spec.query)) url.searchParams.append(k, v);
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  for (const [k, v] of Object.entries(spec.headers)) headers[k.toLowerCase()] = v;
  const auth = spec.auth;
  const secretHeaders = new Set(CREDENTIAL_HEADERS);
  if (auth && 'bearer' in auth) headers.authorization = `Bearer ${auth.bearer}`;
  else if (auth && 'basic' in auth)
    headers.authorization = `Basic ${basicCredentials(auth.basic.username, auth.basic.password)}`;
  else if (auth && 'header' in auth) {
    headers[auth.header.name.toLowerCase()] = auth.header.value;
    secretHeaders.add(auth.header.name.toLowerCase());
  } else if (auth && 'query' in auth) url.searchParams.append(auth.query.name, auth.query.value);
  let body = spec.body;
  if (spec.json !== undefined) {
    body = JSON.stringify(spec.json);
    headers['content-type'] ??= 'application/json';
  }
  for (const [k, v] of Object.entries(headers)) if (secrets.has(v)) secretHeaders.add(k);
  return {
    url,
    method: spec.method,
    headers,
    body,
    origin: url.origin,
    secretHeaders: [...secretHeaders],
    secretBody: body !== undefined && secrets.has(body),
    redirects: !spec.followRedirects ? 'none' : (spec.redirects ?? (secrets.empty ? 'any' : 'same-origin')),
  };
}

export function basicCredentials(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64');
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** What to do about a response: follow it to `next`, or a redirect the policy `refused` (and why). */
export type RedirectStep = { next: PreparedRequest } | { refused: string };

/**
 * The step a redirect leads to, or null when `status`/`location` is not a followable redirect or the
 * policy is `none`. Under `any`, a hop to another origin than the configured one goes without the secret
 * headers and without a body that holds a secret; under `same-origin` it is not taken at all.
 */
export function redirectTarget(
  prev: PreparedRequest,
  status: number,
  location: string | undefined,
): RedirectStep | null {
  if (prev.redirects === 'none') return null;
  if (!REDIRECTS.has(status) || location === undefined || !URL.canParse(location, prev.url.href)) return null;
  const url = new URL(location, prev.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const elsewhere = url.origin !== prev.origin;
  if (elsewhere && prev.redirects === 'same-origin')
    return { refused: `the redirect to ${url.origin} was not followed (redirects: same-origin)` };
  const headers = { ...prev.headers };
  if (elsewhere) for (const h of prev.secretHeaders) delete headers[h];
  const toGet = status === 303 || ((status === 301 || status === 302) && prev.method === 'POST');
  const dropBody = toGet || (elsewhere && prev.secretBody);
  if (dropBody) {
    delete headers['content-type'];
    delete headers['content-length'];
  }
  return {
    next: {
      ...prev,
      url,
      method: toGet && prev.method !== 'HEAD' ? 'GET' : prev.method,
      headers,
      body: dropBody ? undefined : prev.body,
      secretBody: dropBody ? false : prev.secretBody,
    },
  };
}
