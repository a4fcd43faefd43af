CREATE TABLE "rollups_cumulative" (
	"subject" text NOT NULL,
	"day" timestamp (3) with time zone NOT NULL,
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
	CONSTRAINT "rollups_cumulative_pkey" PRIMARY KEY("subject","day")
);
