CREATE TABLE "consents" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_id" text NOT NULL,
	"team_id" text NOT NULL,
	"purpose" text NOT NULL,
	"escalation_id" text,
	"given_by_id" text NOT NULL,
	"given_at" timestamp (3) with time zone NOT NULL,
	"withdrawn_by_id" text,
	"withdrawn_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "escalation_audit" (
	"id" text PRIMARY KEY NOT NULL,
	"escalation_id" text NOT NULL,
	"kind" text NOT NULL,
	"actor_id" text,
	"note" text,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" text PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"trigger" text NOT NULL,
	"flag_reason" text,
	"reason_note" text,
	"help_request_id" text,
	"circle_id" text,
	"subject_id" text NOT NULL,
	"raised_by_id" text,
	"neighbourhood_id" text NOT NULL,
	"category_id" text,
	"urgency" text NOT NULL,
	"lead_team_id" text NOT NULL,
	"co_team_id" text,
	"routing_note" text NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"assignee_id" text,
	"consent_bypass_basis" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"acknowledge_by" timestamp (3) with time zone NOT NULL,
	"acknowledged_at" timestamp (3) with time zone,
	"closed_at" timestamp (3) with time zone,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "escalations_dedupe_key_unique" UNIQUE("dedupe_key")
);
--> statement-breakpoint
CREATE TABLE "initiative_categories" (
	"initiative_id" text NOT NULL,
	"category_id" text NOT NULL,
	CONSTRAINT "initiative_categories_initiative_id_category_id_pk" PRIMARY KEY("initiative_id","category_id")
);
--> statement-breakpoint
CREATE TABLE "initiative_languages" (
	"initiative_id" text NOT NULL,
	"language" text NOT NULL,
	CONSTRAINT "initiative_languages_initiative_id_language_pk" PRIMARY KEY("initiative_id","language")
);
--> statement-breakpoint
CREATE TABLE "initiative_occurrences" (
	"initiative_id" text NOT NULL,
	"starts_at" timestamp (3) with time zone NOT NULL,
	"ends_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "initiative_occurrences_initiative_id_starts_at_pk" PRIMARY KEY("initiative_id","starts_at")
);
--> statement-breakpoint
CREATE TABLE "initiative_signups" (
	"id" text PRIMARY KEY NOT NULL,
	"initiative_id" text NOT NULL,
	"person_id" text NOT NULL,
	"signed_up_by_id" text NOT NULL,
	"status" text NOT NULL,
	"position" integer NOT NULL,
	"note" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"promoted_at" timestamp (3) with time zone,
	"cancelled_at" timestamp (3) with time zone,
	"cancelled_by_id" text
);
--> statement-breakpoint
CREATE TABLE "initiatives" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"neighbourhood_id" text NOT NULL,
	"address" text,
	"capacity" integer,
	"taken_count" integer NOT NULL,
	"waitlist_count" integer NOT NULL,
	"last_position" integer NOT NULL,
	"min_age" integer,
	"max_age" integer,
	"accessibility" text,
	"recurrence" jsonb,
	"first_starts_at" timestamp (3) with time zone,
	"last_ends_at" timestamp (3) with time zone,
	"search_title" text NOT NULL,
	"search_text" text NOT NULL,
	"published_at" timestamp (3) with time zone,
	"closed_at" timestamp (3) with time zone,
	"close_reason" text,
	"created_by_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation_members" (
	"organisation_id" text NOT NULL,
	"person_id" text NOT NULL,
	"role" text NOT NULL,
	"added_by_id" text,
	"added_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "organisation_members_organisation_id_person_id_pk" PRIMARY KEY("organisation_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"neighbourhood_id" text NOT NULL,
	"address" text,
	"phone" text,
	"email" text,
	"website" text,
	"verified_at" timestamp (3) with time zone,
	"verified_by_id" text,
	"created_by_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "participation_placements" (
	"id" text PRIMARY KEY NOT NULL,
	"initiative_id" text NOT NULL,
	"organisation_id" text NOT NULL,
	"participant_id" text NOT NULL,
	"referred_by_id" text NOT NULL,
	"status" text NOT NULL,
	"note" text,
	"decision_note" text,
	"referred_at" timestamp (3) with time zone NOT NULL,
	"accepted_at" timestamp (3) with time zone,
	"started_at" timestamp (3) with time zone,
	"ended_at" timestamp (3) with time zone,
	"end_reason" text,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "help_requests" ADD COLUMN "organisation_id" text;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_subject_id_people_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalation_audit" ADD CONSTRAINT "escalation_audit_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_help_request_id_help_requests_id_fk" FOREIGN KEY ("help_request_id") REFERENCES "public"."help_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_subject_id_people_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_lead_team_id_teams_id_fk" FOREIGN KEY ("lead_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_co_team_id_teams_id_fk" FOREIGN KEY ("co_team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_assignee_id_people_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_categories" ADD CONSTRAINT "initiative_categories_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_categories" ADD CONSTRAINT "initiative_categories_category_id_help_categories_id_fk" FOREIGN KEY ("category_id") REFERENCES "public"."help_categories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_languages" ADD CONSTRAINT "initiative_languages_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_occurrences" ADD CONSTRAINT "initiative_occurrences_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_signups" ADD CONSTRAINT "initiative_signups_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_signups" ADD CONSTRAINT "initiative_signups_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiative_signups" ADD CONSTRAINT "initiative_signups_signed_up_by_id_people_id_fk" FOREIGN KEY ("signed_up_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiatives" ADD CONSTRAINT "initiatives_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "initiatives" ADD CONSTRAINT "initiatives_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_members" ADD CONSTRAINT "organisation_members_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_members" ADD CONSTRAINT "organisation_members_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisations" ADD CONSTRAINT "organisations_neighbourhood_id_neighbourhoods_id_fk" FOREIGN KEY ("neighbourhood_id") REFERENCES "public"."neighbourhoods"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participation_placements" ADD CONSTRAINT "participation_placements_initiative_id_initiatives_id_fk" FOREIGN KEY ("initiative_id") REFERENCES "public"."initiatives"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participation_placements" ADD CONSTRAINT "participation_placements_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participation_placements" ADD CONSTRAINT "participation_placements_participant_id_people_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participation_placements" ADD CONSTRAINT "participation_placements_referred_by_id_people_id_fk" FOREIGN KEY ("referred_by_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_subject_team_idx" ON "consents" USING btree ("subject_id","team_id");--> statement-breakpoint
CREATE INDEX "escalation_audit_idx" ON "escalation_audit" USING btree ("escalation_id","at");--> statement-breakpoint
CREATE INDEX "escalations_lead_queue_idx" ON "escalations" USING btree ("lead_team_id","status","created_at");--> statement-breakpoint
CREATE INDEX "escalations_co_queue_idx" ON "escalations" USING btree ("co_team_id","status","created_at");--> statement-breakpoint
CREATE INDEX "escalations_request_idx" ON "escalations" USING btree ("help_request_id");--> statement-breakpoint
CREATE INDEX "escalations_subject_idx" ON "escalations" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "initiative_categories_category_idx" ON "initiative_categories" USING btree ("category_id");--> statement-breakpoint
CREATE INDEX "initiative_occurrences_ends_idx" ON "initiative_occurrences" USING btree ("initiative_id","ends_at");--> statement-breakpoint
CREATE UNIQUE INDEX "initiative_signups_position_idx" ON "initiative_signups" USING btree ("initiative_id","position");--> statement-breakpoint
CREATE INDEX "initiative_signups_status_idx" ON "initiative_signups" USING btree ("initiative_id","status","position");--> statement-breakpoint
CREATE INDEX "initiative_signups_person_idx" ON "initiative_signups" USING btree ("person_id","created_at");--> statement-breakpoint
CREATE INDEX "initiative_signups_signed_up_by_idx" ON "initiative_signups" USING btree ("signed_up_by_id","created_at");--> statement-breakpoint
CREATE INDEX "initiatives_discover_idx" ON "initiatives" USING btree ("status","neighbourhood_id","last_ends_at");--> statement-breakpoint
CREATE INDEX "initiatives_published_idx" ON "initiatives" USING btree ("status","published_at");--> statement-breakpoint
CREATE INDEX "initiatives_organisation_idx" ON "initiatives" USING btree ("organisation_id","created_at");--> statement-breakpoint
CREATE INDEX "initiatives_kind_idx" ON "initiatives" USING btree ("kind","status");--> statement-breakpoint
CREATE INDEX "organisation_members_person_idx" ON "organisation_members" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "organisations_created_idx" ON "organisations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "organisations_neighbourhood_idx" ON "organisations" USING btree ("neighbourhood_id");--> statement-breakpoint
CREATE INDEX "participation_placements_org_idx" ON "participation_placements" USING btree ("organisation_id","status");--> statement-breakpoint
CREATE INDEX "participation_placements_initiative_idx" ON "participation_placements" USING btree ("initiative_id","status");--> statement-breakpoint
CREATE INDEX "participation_placements_participant_idx" ON "participation_placements" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "participation_placements_referrer_idx" ON "participation_placements" USING btree ("referred_by_id","referred_at");--> statement-breakpoint
CREATE INDEX "participation_placements_started_idx" ON "participation_placements" USING btree ("started_at");