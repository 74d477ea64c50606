CREATE TABLE "help_request_follow_ups" (
	"help_request_id" text PRIMARY KEY NOT NULL,
	"answered_by_id" text NOT NULL,
	"happened" boolean NOT NULL,
	"more_needed" text NOT NULL,
	"linked_request_id" text,
	"escalation_id" text,
	"note" text,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_request_offers" (
	"id" text PRIMARY KEY NOT NULL,
	"help_request_id" text NOT NULL,
	"volunteer_id" text NOT NULL,
	"note" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_request_thanks" (
	"help_request_id" text PRIMARY KEY NOT NULL,
	"thanked_by_id" text NOT NULL,
	"volunteer_id" text NOT NULL,
	"message" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_hours" (
	"help_request_id" text PRIMARY KEY NOT NULL,
	"volunteer_id" text,
	"neighbourhood_id" text NOT NULL,
	"month" text NOT NULL,
	"minutes" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "help_requests" ADD COLUMN "choice_mode" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "help_request_follow_ups" ADD CONSTRAINT "help_request_follow_ups_help_request_id_help_requests_id_fk" FOREIGN KEY ("help_request_id") REFERENCES "public"."help_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_request_follow_ups" ADD CONSTRAINT "help_request_follow_ups_answered_by_id_people_id_fk" FOREIGN KEY ("answered_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_request_follow_ups" ADD CONSTRAINT "help_request_follow_ups_linked_request_id_help_requests_id_fk" FOREIGN KEY ("linked_request_id") REFERENCES "public"."help_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_request_offers" ADD CONSTRAINT "help_request_offers_help_request_id_help_requests_id_fk" FOREIGN KEY ("help_request_id") REFERENCES "public"."help_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_request_offers" ADD CONSTRAINT "help_request_offers_volunteer_id_people_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_request_thanks" ADD CONSTRAINT "help_request_thanks_help_request_id_help_requests_id_fk" FOREIGN KEY ("help_request_id") REFERENCES "public"."help_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_request_thanks" ADD CONSTRAINT "help_request_thanks_thanked_by_id_people_id_fk" FOREIGN KEY ("thanked_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_request_thanks" ADD CONSTRAINT "help_request_thanks_volunteer_id_people_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_hours" ADD CONSTRAINT "volunteer_hours_help_request_id_help_requests_id_fk" FOREIGN KEY ("help_request_id") REFERENCES "public"."help_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_hours" ADD CONSTRAINT "volunteer_hours_volunteer_id_people_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_hours" ADD CONSTRAINT "volunteer_hours_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "help_request_offers_request_volunteer_idx" ON "help_request_offers" USING btree ("help_request_id","volunteer_id");--> statement-breakpoint
CREATE INDEX "help_request_offers_volunteer_idx" ON "help_request_offers" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "help_request_thanks_volunteer_idx" ON "help_request_thanks" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "volunteer_hours_volunteer_idx" ON "volunteer_hours" USING btree ("volunteer_id","month");--> statement-breakpoint
CREATE INDEX "volunteer_hours_neighbourhood_idx" ON "volunteer_hours" USING btree ("month","neighbourhood_id");