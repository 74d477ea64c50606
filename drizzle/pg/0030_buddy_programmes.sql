CREATE TABLE "buddy_checkins" (
	"id" text PRIMARY KEY NOT NULL,
	"match_id" text NOT NULL,
	"person_id" text NOT NULL,
	"note" text,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buddy_evaluations" (
	"match_id" text NOT NULL,
	"person_id" text NOT NULL,
	"role" text NOT NULL,
	"went_well" boolean NOT NULL,
	"note" text,
	"at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "buddy_evaluations_match_id_role_pk" PRIMARY KEY("match_id","role")
);
--> statement-breakpoint
CREATE TABLE "buddy_matches" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"participant_id" text NOT NULL,
	"buddy_id" text NOT NULL,
	"status" text NOT NULL,
	"checkin_every_days" integer NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"planned_end_at" timestamp (3) with time zone NOT NULL,
	"next_checkin_due" timestamp (3) with time zone NOT NULL,
	"missed_in_row" integer NOT NULL,
	"paused_at" timestamp (3) with time zone,
	"paused_days" integer NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"ended_by_id" text,
	"matched_by_id" text NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buddy_participants" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"person_id" text NOT NULL,
	"referral" text NOT NULL,
	"referred_by_id" text,
	"consent_at" timestamp (3) with time zone NOT NULL,
	"consent_note" text,
	"neighbourhood_id" text,
	"languages" jsonb NOT NULL,
	"interests" jsonb NOT NULL,
	"weekdays" jsonb NOT NULL,
	"status" text NOT NULL,
	"referred_at" timestamp (3) with time zone NOT NULL,
	"skip_note" text,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buddy_programme_coordinators" (
	"programme_id" text NOT NULL,
	"person_id" text NOT NULL,
	"added_by_id" text NOT NULL,
	"added_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "buddy_programme_coordinators_programme_id_person_id_pk" PRIMARY KEY("programme_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "buddy_programmes" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"kind_name" text,
	"intake_criteria" text NOT NULL,
	"training_name" text,
	"vog_required" boolean NOT NULL,
	"works_with_minors_or_families" boolean NOT NULL,
	"frequency" text NOT NULL,
	"min_months" integer NOT NULL,
	"max_months" integer NOT NULL,
	"created_by_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "buddy_signals" (
	"id" text PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"programme_id" text NOT NULL,
	"match_id" text NOT NULL,
	"kind" text NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"acknowledged_at" timestamp (3) with time zone,
	"acknowledged_by_id" text,
	CONSTRAINT "buddy_signals_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "buddy_volunteers" (
	"id" text PRIMARY KEY NOT NULL,
	"programme_id" text NOT NULL,
	"person_id" text NOT NULL,
	"neighbourhood_id" text,
	"languages" jsonb NOT NULL,
	"interests" jsonb NOT NULL,
	"weekdays" jsonb NOT NULL,
	"capacity" integer NOT NULL,
	"status" text NOT NULL,
	"trained_at" timestamp (3) with time zone,
	"training_recorded_by_id" text,
	"applied_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "buddy_checkins" ADD CONSTRAINT "buddy_checkins_match_id_buddy_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."buddy_matches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_checkins" ADD CONSTRAINT "buddy_checkins_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_evaluations" ADD CONSTRAINT "buddy_evaluations_match_id_buddy_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."buddy_matches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_evaluations" ADD CONSTRAINT "buddy_evaluations_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_matches" ADD CONSTRAINT "buddy_matches_programme_id_buddy_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."buddy_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_matches" ADD CONSTRAINT "buddy_matches_participant_id_buddy_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."buddy_participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_matches" ADD CONSTRAINT "buddy_matches_buddy_id_buddy_volunteers_id_fk" FOREIGN KEY ("buddy_id") REFERENCES "public"."buddy_volunteers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_participants" ADD CONSTRAINT "buddy_participants_programme_id_buddy_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."buddy_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_participants" ADD CONSTRAINT "buddy_participants_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_participants" ADD CONSTRAINT "buddy_participants_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_programme_coordinators" ADD CONSTRAINT "buddy_programme_coordinators_programme_id_buddy_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."buddy_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_programme_coordinators" ADD CONSTRAINT "buddy_programme_coordinators_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_signals" ADD CONSTRAINT "buddy_signals_match_id_buddy_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."buddy_matches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_volunteers" ADD CONSTRAINT "buddy_volunteers_programme_id_buddy_programmes_id_fk" FOREIGN KEY ("programme_id") REFERENCES "public"."buddy_programmes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_volunteers" ADD CONSTRAINT "buddy_volunteers_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "buddy_volunteers" ADD CONSTRAINT "buddy_volunteers_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "buddy_checkins_match_idx" ON "buddy_checkins" USING btree ("match_id","at");--> statement-breakpoint
CREATE INDEX "buddy_matches_programme_idx" ON "buddy_matches" USING btree ("programme_id","status");--> statement-breakpoint
CREATE INDEX "buddy_matches_due_idx" ON "buddy_matches" USING btree ("status","next_checkin_due");--> statement-breakpoint
CREATE INDEX "buddy_participants_queue_idx" ON "buddy_participants" USING btree ("programme_id","status","referred_at");--> statement-breakpoint
CREATE INDEX "buddy_participants_person_idx" ON "buddy_participants" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "buddy_programmes_org_idx" ON "buddy_programmes" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "buddy_signals_programme_idx" ON "buddy_signals" USING btree ("programme_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "buddy_volunteers_one_idx" ON "buddy_volunteers" USING btree ("programme_id","person_id");--> statement-breakpoint
CREATE INDEX "buddy_volunteers_person_idx" ON "buddy_volunteers" USING btree ("person_id");