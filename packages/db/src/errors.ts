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
