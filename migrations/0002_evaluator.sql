CREATE TABLE "evaluator_state" (
	"subject" text PRIMARY KEY NOT NULL,
	"state" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" text PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"title" text NOT NULL,
	"provider" text,
	"service" text,
	"probe_id" text,
	"opened_at" timestamp (3) with time zone NOT NULL,
	"resolved_at" timestamp (3) with time zone,
	"parent_id" text,
	"silent" boolean NOT NULL,
	"flapping" boolean NOT NULL,
	"detail" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rollups_hourly" (
	"subject" text NOT NULL,
	"hour_start" timestamp (3) with time zone NOT NULL,
	"up_ms" double precision NOT NULL,
	"degraded_ms" double precision NOT NULL,
	"down_ms" double precision NOT NULL,
	"no_data_ms" double precision NOT NULL,
	"excluded_ms" double precision NOT NULL,
	"rate_limited_ms" double precision NOT NULL,
	"counts" jsonb NOT NULL,
	"error_classes" jsonb NOT NULL,
	"latency" jsonb NOT NULL,
	"phase_sums" jsonb NOT NULL,
	CONSTRAINT "rollups_hourly_pkey" PRIMARY KEY("subject","hour_start")
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" text PRIMARY KEY NOT NULL,
	"incident_id" text NOT NULL,
	"event_key" text NOT NULL,
	"channel" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"next_attempt_at" timestamp (3) with time zone NOT NULL,
	"lease_until" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL,
	"sent_at" timestamp (3) with time zone,
	"last_error" text,
	CONSTRAINT "outbox_event_channel" UNIQUE("incident_id","event_key","channel")
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"name" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "silences" (
	"id" text PRIMARY KEY NOT NULL,
	"target" text NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"reason" text,
	"created_by" text,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_open_track" ON "incidents" USING btree ("scope","key","kind") WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX "incidents_opened_at" ON "incidents" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "rollups_hourly_hour_start" ON "rollups_hourly" USING btree ("hour_start");--> statement-breakpoint
CREATE INDEX "outbox_pending_due" ON "outbox" USING btree ("next_attempt_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "outbox_pending_order" ON "outbox" USING btree ("incident_id","channel","created_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "silences_ends_at" ON "silences" USING btree ("ends_at");