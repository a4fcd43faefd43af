ALTER TABLE "incidents" ADD COLUMN "acknowledged_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "acknowledged_by" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "acknowledge_note" text;