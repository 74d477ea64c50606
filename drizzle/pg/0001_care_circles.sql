CREATE TABLE "care_checkins" (
	"id" text PRIMARY KEY NOT NULL,
	"circle_id" text NOT NULL,
	"person_id" text NOT NULL,
	"strain" text NOT NULL,
	"note" text,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_circles" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"care_receiver_id" text NOT NULL,
	"neighbourhood_id" text NOT NULL,
	"created_by_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"circle_id" text NOT NULL,
	"code_hash" text NOT NULL,
	"relation" text NOT NULL,
	"invited_by_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_by_id" text,
	"used_at" timestamp (3) with time zone,
	CONSTRAINT "care_invitations_code_hash_unique" UNIQUE("code_hash")
);
--> statement-breakpoint
CREATE TABLE "care_load_signals" (
	"id" text PRIMARY KEY NOT NULL,
	"circle_id" text NOT NULL,
	"person_id" text NOT NULL,
	"reason" text NOT NULL,
	"detail" text NOT NULL,
	"since" timestamp (3) with time zone NOT NULL,
	"last_seen_at" timestamp (3) with time zone NOT NULL,
	"resolved_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "care_circle_members" (
	"circle_id" text NOT NULL,
	"person_id" text NOT NULL,
	"role" text NOT NULL,
	"relation" text NOT NULL,
	"joined_at" timestamp (3) with time zone NOT NULL,
	"left_at" timestamp (3) with time zone,
	"calendar_version" integer NOT NULL,
	CONSTRAINT "care_circle_members_circle_id_person_id_pk" PRIMARY KEY("circle_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "care_shifts" (
	"id" text PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"circle_id" text NOT NULL,
	"occurrence" text NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	"status" text NOT NULL,
	"assignee_id" text,
	"flagged" boolean NOT NULL,
	"cover_requested" boolean NOT NULL,
	"help_request_id" text,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_swaps" (
	"id" text PRIMARY KEY NOT NULL,
	"shift_id" text NOT NULL,
	"from_id" text NOT NULL,
	"to_id" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"decided_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "care_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"circle_id" text NOT NULL,
	"title" text NOT NULL,
	"category_id" text NOT NULL,
	"notes" text,
	"vog_required" boolean NOT NULL,
	"start_date" text NOT NULL,
	"start_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"weekdays" jsonb NOT NULL,
	"interval_weeks" integer NOT NULL,
	"end_date" text,
	"active" boolean NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "care_checkins" ADD CONSTRAINT "care_checkins_circle_id_care_circles_id_fk" FOREIGN KEY ("circle_id") REFERENCES "public"."care_circles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_circles" ADD CONSTRAINT "care_circles_care_receiver_id_people_id_fk" FOREIGN KEY ("care_receiver_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_circles" ADD CONSTRAINT "care_circles_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_invitations" ADD CONSTRAINT "care_invitations_circle_id_care_circles_id_fk" FOREIGN KEY ("circle_id") REFERENCES "public"."care_circles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_load_signals" ADD CONSTRAINT "care_load_signals_circle_id_care_circles_id_fk" FOREIGN KEY ("circle_id") REFERENCES "public"."care_circles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_circle_members" ADD CONSTRAINT "care_circle_members_circle_id_care_circles_id_fk" FOREIGN KEY ("circle_id") REFERENCES "public"."care_circles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_circle_members" ADD CONSTRAINT "care_circle_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_shifts" ADD CONSTRAINT "care_shifts_task_id_care_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."care_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_shifts" ADD CONSTRAINT "care_shifts_circle_id_care_circles_id_fk" FOREIGN KEY ("circle_id") REFERENCES "public"."care_circles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_shifts" ADD CONSTRAINT "care_shifts_assignee_id_people_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_swaps" ADD CONSTRAINT "care_swaps_shift_id_care_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "public"."care_shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_tasks" ADD CONSTRAINT "care_tasks_circle_id_care_circles_id_fk" FOREIGN KEY ("circle_id") REFERENCES "public"."care_circles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_tasks" ADD CONSTRAINT "care_tasks_category_id_help_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."help_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_checkins_person_idx" ON "care_checkins" USING btree ("circle_id","person_id","at");--> statement-breakpoint
CREATE INDEX "care_circles_receiver_idx" ON "care_circles" USING btree ("care_receiver_id");--> statement-breakpoint
CREATE INDEX "care_invitations_circle_idx" ON "care_invitations" USING btree ("circle_id");--> statement-breakpoint
CREATE INDEX "care_load_signals_open_idx" ON "care_load_signals" USING btree ("circle_id","person_id","reason","resolved_at");--> statement-breakpoint
CREATE INDEX "care_members_person_idx" ON "care_circle_members" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "care_shifts_occurrence_idx" ON "care_shifts" USING btree ("task_id","occurrence");--> statement-breakpoint
CREATE INDEX "care_shifts_circle_time_idx" ON "care_shifts" USING btree ("circle_id","starts_at");--> statement-breakpoint
CREATE INDEX "care_shifts_assignee_time_idx" ON "care_shifts" USING btree ("assignee_id","starts_at");--> statement-breakpoint
CREATE INDEX "care_shifts_status_time_idx" ON "care_shifts" USING btree ("status","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "care_shifts_help_request_idx" ON "care_shifts" USING btree ("help_request_id");--> statement-breakpoint
CREATE INDEX "care_swaps_shift_idx" ON "care_swaps" USING btree ("shift_id");--> statement-breakpoint
CREATE INDEX "care_tasks_circle_idx" ON "care_tasks" USING btree ("circle_id");