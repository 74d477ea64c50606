CREATE TABLE "event_log" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"entity_id" text NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "event_log_topic_seq_idx" ON "event_log" USING btree ("topic","seq");--> statement-breakpoint
CREATE INDEX "event_log_at_idx" ON "event_log" USING btree ("at");