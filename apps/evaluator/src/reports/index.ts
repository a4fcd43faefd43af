export {
  dueReports,
  latestSendable,
  scheduledReports,
  sendTimeOf,
  cronOf,
  runKey,
  DEFAULT_AT,
  type ScheduledReport,
  type DueReport,
} from './due.js';
export {
  renderReport,
  reportChannel,
  reportFile,
  writeReportFiles,
  deliverReport,
  DEFAULT_REPORT_FROM,
  REPORT_EXTENSIONS,
  type ReportExtension,
  type Delivery,
  type DeliverOptions,
} from './deliver.js';
export {
  startReportScheduler,
  nodeCron,
  type ReportScheduler,
  type ReportSchedulerOptions,
  type ReportEvent,
  type CronLike,
} from './scheduler.js';
