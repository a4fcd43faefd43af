-- Custom migration (drizzle-kit cannot express partitioning): rebuild probe_results as a table
-- partitioned by RANGE (slot_at), one partition per UTC day (probe_results_YYYYMMDD, created ahead by
-- ensurePartitions) plus a default partition so a row for a missing day is never refused.
-- Columns are copied with LIKE so they stay exactly those of 0000; names match src/schema/probe-results.ts.
ALTER TABLE "probe_results" RENAME TO "probe_results_unpartitioned";
--> statement-breakpoint
CREATE TABLE "probe_results" (LIKE "probe_results_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("slot_at");
--> statement-breakpoint
DROP TABLE "probe_results_unpartitioned";
--> statement-breakpoint
ALTER TABLE "probe_results" ADD CONSTRAINT "probe_results_pkey" PRIMARY KEY ("probe_id", "slot_at", "region");
--> statement-breakpoint
CREATE INDEX "probe_results_slot_at_brin" ON "probe_results" USING brin ("slot_at");
--> statement-breakpoint
CREATE TABLE "probe_results_default" PARTITION OF "probe_results" DEFAULT;
