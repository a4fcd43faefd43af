export { openDb, type Db, type DbHandle, type OpenDbOptions, type Schema } from './client.js';
export {
  openEmbeddedStore,
  describeHolder,
  type EmbeddedStore,
  type EmbeddedStoreOptions,
} from './embedded/store.js';
export { acquireStoreLock, liveHolder, LOCK_FILE, type LockHolder, type StoreLock } from './embedded/lock.js';
export { migrate, MIGRATIONS_FOLDER, type MigrateOptions } from './migrate.js';
export { DbError, dbErrorSummary, type DbErrorCode, type DbErrorSummary } from './errors.js';
export {
  upsertProbes,
  retireProbes,
  listProbes,
  getProbes,
  type StoredProbe,
  type UpsertSummary,
} from './repos/probes.js';
export { insertResults, queryResults, type ResultQuery } from './repos/results.js';
export { noticesBetween, type ProbeNotice } from './repos/notices.js';
export {
  ensurePartitions,
  dropExpiredPartitions,
  maintainPartitions,
  listPartitions,
  DEFAULT_DAYS_AHEAD,
} from './repos/partitions.js';
export { partitionName } from './partition-days.js';
export { acquireLease, holdsLease, releaseLease } from './repos/leases.js';
export {
  resultsInRanges,
  regionOutcomeCounts,
  loadEvaluatorState,
  getEvaluatorState,
  saveEvaluatorState,
  deleteEvaluatorState,
  type SlotResultRow,
  type SlotRange,
} from './repos/evaluation.js';
export {
  getRollups,
  upsertRollups,
  queryRollups,
  rollupTotals,
  rollupLatency,
  deleteExpiredRollups,
  type RollupQuery,
} from './repos/rollups.js';
export {
  insertIncidents,
  updateIncident,
  listIncidents,
  openIncidents,
  incidentsBetween,
  type IncidentRow,
  type IncidentQuery,
} from './repos/incidents.js';
export {
  enqueueOutbox,
  claimOutbox,
  markOutboxSent,
  markOutboxRetry,
  markOutboxDead,
  listOutbox,
  deleteOldOutbox,
  DEFAULT_OUTBOX_LEASE_MS,
  type OutboxRecord,
  type NewOutboxRow,
  type ClaimedOutboxRow,
} from './repos/outbox.js';
export {
  createSilence,
  listSilences,
  endSilence,
  SilenceError,
  type Silence,
  type NewSilence,
} from './repos/silences.js';
export {
  addToCumulative,
  windowTotals,
  writeCumulative,
  WHOLE_DAY_LATENCY_FROM_DAYS,
  cumulativeSpans,
  deleteExpiredCumulative,
  dayStartOf,
  type WindowTotals,
  type WindowTotalsOptions,
} from './repos/rollups-cumulative.js';
export {
  claimReportRun,
  markReportSent,
  failReportRun,
  getReportRuns,
  firstProbeCreatedAt,
  reportRollups,
  dailyRollups,
  type ReportRun,
  type ReportClaim,
  type ReportRollupQuery,
} from './repos/reports.js';
export {
  rateLimitTotals,
  type RateLimitTotals,
  type RateLimitTotalsQuery,
  type UsageProbe,
} from './repos/rate-limit-usage.js';
export { dailyTimes, type DayTimes } from './repos/history.js';
export {
  resultPage,
  incidentPage,
  getIncident,
  childIncidents,
  openAcknowledgements,
  acknowledgeIncident,
  type ResultPageQuery,
  type IncidentPageQuery,
} from './repos/api-pages.js';
export { grantApiRole, ApiRoleError } from './api-role.js';
export {
  unjudgedResultCount,
  outboxDepth,
  latestRuns,
  type UnjudgedFrom,
  type OutboxDepth,
  type LatestRunQuery,
  type LatestRunRow,
} from './repos/metrics.js';
export {
  claimStatusPoll,
  statusPolls,
  recordPollUnchanged,
  recordPollFailed,
  storeStatusSnapshot,
  declarationsBetween,
  declarationChanges,
  deleteOldDeclarations,
  type DeclarationRow,
  type DeclarationUpdate,
  type DeclaredComponent,
  type SeenDeclaration,
  type StatusSnapshot,
  type StatusPagePoll,
  type PollClaim,
  type StoreSnapshotResult,
  type DeclarationQuery,
} from './repos/declarations.js';
