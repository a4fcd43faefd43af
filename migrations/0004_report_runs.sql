CREATE TABLE "report_runs" (
	"report" text NOT NULL,
	"period_key" text NOT NULL,
	"status" text NOT NULL,
	"claimed_by" text NOT NULL,
	"lease_until" timestamp (3) with time zone NOT NULL,
	"attempts" integer NOT NULL,
	"claimed_at" timestamp (3) with time zone NOT NULL,
	"sent_at" timestamp (3) with time zone,
	"delivery" text,
	"last_error" text,
	CONSTRAINT "report_runs_pkey" PRIMARY KEY("report","period_key")
);
--> statement-breakpoint
CREATE INDEX "report_runs_sent_at" ON "report_runs" USING btree ("sent_at");