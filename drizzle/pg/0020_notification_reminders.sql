CREATE TABLE "notification_digest_items" (
	"person_id" text NOT NULL,
	"request_id" text NOT NULL,
	"params" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"digested_on" text,
	CONSTRAINT "notification_digest_items_person_id_request_id_pk" PRIMARY KEY("person_id","request_id")
);
--> statement-breakpoint
ALTER TABLE "notification_deliveries" ALTER COLUMN "event_seq" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD COLUMN "new_request_mode" text;--> statement-breakpoint
ALTER TABLE "notification_preferences" ADD COLUMN "digest_time" text;--> statement-breakpoint
ALTER TABLE "notification_digest_items" ADD CONSTRAINT "notification_digest_items_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notification_digest_items_waiting_idx" ON "notification_digest_items" USING btree ("digested_on","person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "notification_deliveries_dedupe_idx" ON "notification_deliveries" USING btree ("dedupe_key");