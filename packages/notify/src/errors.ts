import { REDACTED, redact, type Redactor } from '@vigil/core';
import { truncate } from './format.js';

const BODY_LIMIT = 300;
const SLACK_HOOK = /https?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"'<>]*/gi;
const URL_USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi;

export interface DeliveryErrorOptions {
  channel: string;
  status?: number | null;
  retryable: boolean;
  body?: string | null;
  /** the server asked for this much quiet (HTTP Retry-After) */
  retryAfterMs?: number | null;
  cause?: unknown;
}

/** A channel could not deliver. Message, body and cause are already free of secrets. */
export class DeliveryError extends Error {
  readonly code = 'DELIVERY_FAILED';
  readonly channel: string;
  readonly status: number | null;
  readonly retryable: boolean;
  readonly body: string | null;
  readonly retryAfterMs: number | null;

  constructor(message: string, o: DeliveryErrorOptions) {
    super(message, o.cause === undefined ? undefined : { cause: o.cause });
    this.name = 'DeliveryError';
    this.channel = o.channel;
    this.status = o.status ?? null;
    this.retryable = o.retryable;
    this.body = o.body == null ? null : truncate(o.body, BODY_LIMIT);
    this.retryAfterMs = o.retryAfterMs ?? null;
  }
}

/**
 * Removes the given secrets in every form the core Redactor knows (escaped, encoded, base64 at any
 * alignment, cut at a truncation edge), any Slack webhook URL and any URL credentials from `text`.
 * Call it before truncating or escaping.
 */
export function scrub(text: string, secrets: readonly string[] | Redactor): string {
  return redact(text, secrets).replace(SLACK_HOOK, REDACTED).replace(URL_USERINFO, `$1${REDACTED}@`);
}

/**
 * A secret-free stand-in for a third-party error, fit to be a `cause`: client errors (axios inside
 * @slack/webhook) carry the request URL and config, so the original must never travel on.
 */
export function scrubbedCause(err: unknown, secrets: readonly string[]): Error {
  const e = new Error(scrub(messageOf(err), secrets));
  if (err instanceof Error) e.name = err.name;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.assign(e, { code });
  return e;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
