import { DrizzleQueryError } from 'drizzle-orm';

export type DbErrorCode =
  | 'DB_BUSY'
  | 'DB_CONFIG'
  | 'DB_MIGRATION_CHANGED'
  | 'DB_MIGRATION_FAILED'
  | 'DB_PARTITION_FAILED'
  | 'DB_QUERY_FAILED';

/** An infrastructure failure of the monitor's own database (never a probe target being down). */
export class DbError extends Error {
  override readonly name = 'DbError';
  constructor(
    readonly code: DbErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a log line may say about a failed database call: the driver's code and first line, no SQL. */
export interface DbErrorSummary {
  /** e.g. `ECONNREFUSED`, `57P01` (Postgres SQLSTATE); null when the error has none */
  code: string | null;
  message: string;
}

const MAX_SUMMARY = 200;

/**
 * A short account of a failed database call for logs: the innermost error below drizzle's query wrapper
 * (whose message holds the SQL text and its parameters), its code and its first line, at most 200 characters.
 */
export function dbErrorSummary(err: unknown): DbErrorSummary {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 8; e = causeOf(e)) chain.push(e);
  const code =
    chain
      .map(codeOf)
      .reverse()
      .find((c) => c !== null) ?? null;
  const own = chain.filter((e) => !(e instanceof DrizzleQueryError)).map(messageOf);
  const message =
    own.reverse().find((m) => m.length > 0) ?? (code ? `database error ${code}` : 'database query failed');
  return { code, message: message.length > MAX_SUMMARY ? `${message.slice(0, MAX_SUMMARY - 1)}…` : message };
}

function causeOf(e: unknown): unknown {
  if (e instanceof AggregateError && e.errors.length > 0 && !(e as { cause?: unknown }).cause)
    return e.errors[0];
  return (e as { cause?: unknown }).cause;
}

function codeOf(e: unknown): string | null {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && code.length > 0 ? code : null;
}

function messageOf(e: unknown): string {
  const text = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  return text.split('\n')[0]!.trim();
}
