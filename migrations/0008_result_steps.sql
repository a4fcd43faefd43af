ALTER TABLE "probe_results" ADD COLUMN "steps" jsonb;--> statement-breakpoint
ALTER TABLE "probe_results" ADD COLUMN "not_sent" text;