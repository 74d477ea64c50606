CREATE TABLE "data_exports" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_id" text NOT NULL,
	"requested_by_id" text NOT NULL,
	"basis" text,
	"status" text NOT NULL,
	"lease_until" timestamp (3) with time zone NOT NULL,
	"content" text,
	"size_bytes" integer,
	"created_at" timestamp (3) with time zone NOT NULL,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE INDEX "data_exports_subject_idx" ON "data_exports" USING btree ("subject_id","created_at");--> statement-breakpoint
CREATE INDEX "data_exports_requested_by_idx" ON "data_exports" USING btree ("requested_by_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "data_exports_running_idx" ON "data_exports" USING btree ("subject_id") WHERE status = 'RUNNING';