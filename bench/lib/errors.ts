export type BenchErrorCode =
  'CONFIG' | 'CHILD_EXIT' | 'CHILD_TIMEOUT' | 'BLACKBOX_MISSING' | 'BLACKBOX_START' | 'PROC' | 'OPTIONS';

/** Every failure of the bench itself: `code` says what went wrong, `cause` keeps the original error. */
export class BenchError extends Error {
  override readonly name = 'BenchError';
  constructor(
    readonly code: BenchErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
