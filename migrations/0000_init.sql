CREATE TABLE "probes" (
	"id" text PRIMARY KEY NOT NULL,
	"spec" jsonb NOT NULL,
	"hash" text NOT NULL,
	"provider" text NOT NULL,
	"service" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"retired_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "probe_results" (
	"probe_id" text NOT NULL,
	"region" text NOT NULL,
	"slot_at" timestamp (3) with time zone NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"dns_ms" double precision,
	"connect_ms" double precision,
	"tls_ms" double precision,
	"ttfb_ms" double precision,
	"transfer_ms" double precision,
	"total_ms" double precision NOT NULL,
	"outcome" text NOT NULL,
	"http_status" smallint,
	"error_class" text,
	"message" text,
	"assertions" jsonb NOT NULL,
	"retry_after_s" integer,
	"tls_days_left" integer,
	"worker_id" text NOT NULL,
	CONSTRAINT "probe_results_pkey" PRIMARY KEY("probe_id","slot_at","region")
);
--> statement-breakpoint
CREATE INDEX "probe_results_slot_at_brin" ON "probe_results" USING brin ("slot_at");