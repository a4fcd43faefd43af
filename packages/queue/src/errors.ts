export type QueueErrorCode =
  | 'INVALID_PAYLOAD'
  | 'INVALID_SCHEDULE'
  | 'DUPLICATE_SCHEDULE'
  | 'EVICTION_POLICY'
  | 'EVICTION_POLICY_UNKNOWN'
  | 'SCHEDULER_FAILED'
  | 'CONSUMER_GROUP_FAILED'
  | 'WRONG_REGION'
  | 'UNKNOWN_REGION'
  | 'CLOCK_SKEW'
  | 'CLOSED';

/** Every failure this package raises: `code` says what went wrong, `cause` keeps the original error. */
export class QueueError extends Error {
  override readonly name = 'QueueError';
  constructor(
    readonly code: QueueErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function toError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
