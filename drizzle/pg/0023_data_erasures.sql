CREATE TABLE "data_erasures" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_id" text NOT NULL,
	"requested_by_id" text NOT NULL,
	"basis" text,
	"status" text NOT NULL,
	"lease_until" timestamp (3) with time zone NOT NULL,
	"record" jsonb,
	"created_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "data_restrictions" (
	"object_id" text PRIMARY KEY NOT NULL,
	"subject_id" text NOT NULL,
	"erasure_id" text NOT NULL,
	"section" text NOT NULL,
	"legal_basis" text NOT NULL,
	"kept_for" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "data_erasures_subject_idx" ON "data_erasures" USING btree ("subject_id","created_at");--> statement-breakpoint
CREATE INDEX "data_erasures_requested_by_idx" ON "data_erasures" USING btree ("requested_by_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "data_erasures_running_idx" ON "data_erasures" USING btree ("subject_id") WHERE status = 'RUNNING';--> statement-breakpoint
CREATE INDEX "data_restrictions_subject_idx" ON "data_restrictions" USING btree ("subject_id");