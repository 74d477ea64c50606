CREATE TABLE "offer_asks" (
	"id" text PRIMARY KEY NOT NULL,
	"offer_id" text NOT NULL,
	"asked_by_id" text NOT NULL,
	"person_helped_id" text NOT NULL,
	"category_id" text NOT NULL,
	"neighbourhood_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"window_end" timestamp (3) with time zone NOT NULL,
	"vog_required" boolean NOT NULL,
	"contact_via" text NOT NULL,
	"language" text,
	"status" text NOT NULL,
	"help_request_id" text,
	"answered_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" text PRIMARY KEY NOT NULL,
	"public_id" text NOT NULL,
	"volunteer_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"category_ids" jsonb NOT NULL,
	"neighbourhood_ids" jsonb NOT NULL,
	"availability" jsonb NOT NULL,
	"languages" jsonb NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "offers_public_id_unique" UNIQUE("public_id")
);
--> statement-breakpoint
ALTER TABLE "help_requests" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "offer_asks" ADD CONSTRAINT "offer_asks_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_asks" ADD CONSTRAINT "offer_asks_asked_by_id_people_id_fk" FOREIGN KEY ("asked_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offer_asks" ADD CONSTRAINT "offer_asks_person_helped_id_people_id_fk" FOREIGN KEY ("person_helped_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "offers" ADD CONSTRAINT "offers_volunteer_id_people_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "offer_asks_offer_idx" ON "offer_asks" USING btree ("offer_id","status");--> statement-breakpoint
CREATE INDEX "offer_asks_asked_by_idx" ON "offer_asks" USING btree ("asked_by_id");--> statement-breakpoint
CREATE INDEX "offer_asks_person_helped_idx" ON "offer_asks" USING btree ("person_helped_id");--> statement-breakpoint
CREATE INDEX "offers_status_created_idx" ON "offers" USING btree ("status","created_at","public_id");--> statement-breakpoint
CREATE INDEX "offers_volunteer_idx" ON "offers" USING btree ("volunteer_id");