CREATE TABLE "api_sandboxes" (
	"client_id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"person_id" text NOT NULL,
	"created_by_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "help_requests_open_newest_idx";--> statement-breakpoint
DROP INDEX "help_requests_open_soonest_idx";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "sandbox" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "help_requests" ADD COLUMN "sandbox" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "api_sandboxes" ADD CONSTRAINT "api_sandboxes_client_id_api_clients_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."api_clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_sandboxes" ADD CONSTRAINT "api_sandboxes_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "help_requests_open_newest_idx" ON "help_requests" USING btree ("created_at","id","neighbourhood_id","category_id","window_end","window_start","vog_required","urgency","asked_by_id","person_helped_id","sandbox") WHERE status = 'OPEN';--> statement-breakpoint
CREATE INDEX "help_requests_open_soonest_idx" ON "help_requests" USING btree ("window_start","id","neighbourhood_id","category_id","window_end","vog_required","urgency","asked_by_id","person_helped_id","sandbox") WHERE status = 'OPEN';