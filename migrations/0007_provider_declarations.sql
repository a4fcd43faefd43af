CREATE TABLE "provider_declarations" (
	"provider" text NOT NULL,
	"kind" text NOT NULL,
	"external_id" text NOT NULL,
	"title" text NOT NULL,
	"impact" text NOT NULL,
	"status" text NOT NULL,
	"components" jsonb NOT NULL,
	"url" text,
	"started_at" timestamp (3) with time zone NOT NULL,
	"scheduled_until" timestamp (3) with time zone,
	"resolved_at" timestamp (3) with time zone,
	"last_update_at" timestamp (3) with time zone,
	"updates" jsonb NOT NULL,
	"first_seen_at" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	"ended_seen_at" timestamp (3) with time zone,
	CONSTRAINT "provider_declarations_pkey" PRIMARY KEY("provider","kind","external_id")
);
--> statement-breakpoint
CREATE TABLE "status_page_polls" (
	"provider" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"next_poll_at" timestamp (3) with time zone NOT NULL,
	"claimed_by" text,
	"etag" text,
	"last_modified" text,
	"last_polled_at" timestamp (3) with time zone,
	"last_ok_at" timestamp (3) with time zone,
	"last_error" text,
	"last_error_at" timestamp (3) with time zone,
	"indicator" text,
	"description" text,
	"components" jsonb,
	"page_url" text
);
--> statement-breakpoint
CREATE INDEX "provider_declarations_open" ON "provider_declarations" USING btree ("provider") WHERE ended_seen_at is null;--> statement-breakpoint
CREATE INDEX "provider_declarations_started" ON "provider_declarations" USING btree ("started_at");