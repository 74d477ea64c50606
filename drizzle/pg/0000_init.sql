CREATE TABLE "access_log" (
	"id" text PRIMARY KEY NOT NULL,
	"reader_id" text NOT NULL,
	"subject_id" text NOT NULL,
	"fields" jsonb NOT NULL,
	"purpose" text NOT NULL,
	"object_id" text,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "areas" (
	"id" text PRIMARY KEY NOT NULL,
	"municipality" text NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_categories" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_nl" text NOT NULL,
	"description" text NOT NULL,
	CONSTRAINT "help_categories_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "help_request_events" (
	"id" text PRIMARY KEY NOT NULL,
	"help_request_id" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor_id" text,
	"note" text,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "help_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"person_helped_id" text NOT NULL,
	"asked_by_id" text NOT NULL,
	"category_id" text NOT NULL,
	"neighbourhood_id" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"urgency" text NOT NULL,
	"vog_required" boolean NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"window_end" timestamp (3) with time zone NOT NULL,
	"status" text NOT NULL,
	"volunteer_id" text,
	"release_count" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "neighbourhoods" (
	"id" text PRIMARY KEY NOT NULL,
	"area_id" text NOT NULL,
	"name" text NOT NULL,
	"latitude" double precision NOT NULL,
	"longitude" double precision NOT NULL
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" text PRIMARY KEY NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text,
	"email" text,
	"password_hash" text,
	"phone" text,
	"address" text,
	"neighbourhood_id" text,
	"birth_date" text,
	"created_by_id" text,
	"team_id" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "people_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "person_roles" (
	"person_id" text NOT NULL,
	"role" text NOT NULL,
	"granted_at" timestamp (3) with time zone NOT NULL,
	"granted_by_id" text,
	CONSTRAINT "person_roles_person_id_role_pk" PRIMARY KEY("person_id","role")
);
--> statement-breakpoint
CREATE TABLE "teams" (
	"id" text PRIMARY KEY NOT NULL,
	"area_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "volunteer_categories" (
	"person_id" text NOT NULL,
	"category_id" text NOT NULL,
	CONSTRAINT "volunteer_categories_person_id_category_id_pk" PRIMARY KEY("person_id","category_id")
);
--> statement-breakpoint
CREATE TABLE "volunteer_neighbourhoods" (
	"person_id" text NOT NULL,
	"neighbourhood_id" text NOT NULL,
	CONSTRAINT "volunteer_neighbourhoods_person_id_neighbourhood_id_pk" PRIMARY KEY("person_id","neighbourhood_id")
);
--> statement-breakpoint
CREATE TABLE "volunteer_profiles" (
	"person_id" text PRIMARY KEY NOT NULL,
	"languages" jsonb NOT NULL,
	"availability" jsonb NOT NULL,
	"vog_status" text NOT NULL,
	"vog_issued_on" text,
	"vog_verified_by_id" text,
	"vog_verified_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "help_request_events" ADD CONSTRAINT "help_request_events_help_request_id_help_requests_id_fk" FOREIGN KEY ("help_request_id") REFERENCES "public"."help_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_requests" ADD CONSTRAINT "help_requests_person_helped_id_people_id_fk" FOREIGN KEY ("person_helped_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_requests" ADD CONSTRAINT "help_requests_asked_by_id_people_id_fk" FOREIGN KEY ("asked_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_requests" ADD CONSTRAINT "help_requests_category_id_help_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."help_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_requests" ADD CONSTRAINT "help_requests_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "help_requests" ADD CONSTRAINT "help_requests_volunteer_id_people_id_fk" FOREIGN KEY ("volunteer_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "neighbourhoods" ADD CONSTRAINT "neighbourhoods_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_roles" ADD CONSTRAINT "person_roles_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teams" ADD CONSTRAINT "teams_area_id_areas_id_fk" FOREIGN KEY ("area_id") REFERENCES "public"."areas"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_categories" ADD CONSTRAINT "volunteer_categories_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_categories" ADD CONSTRAINT "volunteer_categories_category_id_help_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."help_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_neighbourhoods" ADD CONSTRAINT "volunteer_neighbourhoods_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_neighbourhoods" ADD CONSTRAINT "volunteer_neighbourhoods_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "volunteer_profiles" ADD CONSTRAINT "volunteer_profiles_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_log_subject_idx" ON "access_log" USING btree ("subject_id","at");--> statement-breakpoint
CREATE INDEX "access_log_reader_idx" ON "access_log" USING btree ("reader_id","at");--> statement-breakpoint
CREATE INDEX "help_request_events_request_idx" ON "help_request_events" USING btree ("help_request_id","at");--> statement-breakpoint
CREATE INDEX "help_requests_browse_new_idx" ON "help_requests" USING btree ("status","neighbourhood_id","created_at");--> statement-breakpoint
CREATE INDEX "help_requests_browse_soon_idx" ON "help_requests" USING btree ("status","neighbourhood_id","window_start");--> statement-breakpoint
CREATE INDEX "help_requests_status_end_idx" ON "help_requests" USING btree ("status","window_end");--> statement-breakpoint
CREATE INDEX "help_requests_person_idx" ON "help_requests" USING btree ("person_helped_id");--> statement-breakpoint
CREATE INDEX "help_requests_asked_by_idx" ON "help_requests" USING btree ("asked_by_id");--> statement-breakpoint
CREATE INDEX "help_requests_volunteer_idx" ON "help_requests" USING btree ("volunteer_id");--> statement-breakpoint
CREATE INDEX "neighbourhoods_area_idx" ON "neighbourhoods" USING btree ("area_id");--> statement-breakpoint
CREATE INDEX "people_created_by_idx" ON "people" USING btree ("created_by_id");--> statement-breakpoint
CREATE UNIQUE INDEX "teams_area_kind_idx" ON "teams" USING btree ("area_id","kind");