export type * from './types.js';
export { DeliveryError, scrub, type DeliveryErrorOptions } from './errors.js';
export {
  declarationText,
  declaredItem,
  facts,
  formatAvailability,
  formatDuration,
  headline,
  textBody,
  type Fact,
} from './format.js';
export * from './slack.js';
export * from './email.js';
export * from './file.js';
export * from './log.js';
export * from './registry.js';
export type * from './outbox.js';
export * from './memory-store.js';
export * from './backoff.js';
export * from './relay.js';
export {
  sendReportEmail,
  buildReportEml,
  type ReportEmail,
  type ReportEmailOptions,
} from './report-email.js';
