CREATE TABLE "access_log_chain" (
	"id" text PRIMARY KEY NOT NULL,
	"anchor_seq" bigint NOT NULL,
	"anchor_hash" text NOT NULL,
	"head_seq" bigint NOT NULL,
	"head_hash" text NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"pruned_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "reader_roles" jsonb;--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "reader_team" text;--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "reader_organisations" jsonb;--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "object_type" text;--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "result" text;--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "client_address" text;--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "api_client_id" text;--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "request_id" text;--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "access_log" ADD COLUMN "hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "access_log_seq_idx" ON "access_log" USING btree ("seq");