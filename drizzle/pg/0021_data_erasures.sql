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
CREATE INDEX "data_erasures_subject_idx" ON "data_erasures" USING btree ("subject_id","created_at");--> statement-breakpoint
CREATE INDEX "data_erasures_requested_by_idx" ON "data_erasures" USING btree ("requested_by_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "data_erasures_running_idx" ON "data_erasures" USING btree ("subject_id") WHERE status = 'RUNNING';