CREATE TABLE "case_documents" (
	"id" text PRIMARY KEY NOT NULL,
	"escalation_id" text NOT NULL,
	"uploaded_by_id" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_notes" (
	"id" text PRIMARY KEY NOT NULL,
	"escalation_id" text NOT NULL,
	"author_id" text NOT NULL,
	"channel" text,
	"contact_at" timestamp (3) with time zone,
	"body" text NOT NULL,
	"agreed" text,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_reroutes" (
	"id" text PRIMARY KEY NOT NULL,
	"escalation_id" text NOT NULL,
	"from_lead_team_id" text NOT NULL,
	"from_co_team_id" text,
	"to_lead_team_id" text NOT NULL,
	"to_co_team_id" text,
	"reason" text NOT NULL,
	"by_id" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_documents" ADD CONSTRAINT "case_documents_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reroutes" ADD CONSTRAINT "case_reroutes_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_documents_case_idx" ON "case_documents" USING btree ("escalation_id","created_at");--> statement-breakpoint
CREATE INDEX "case_notes_case_idx" ON "case_notes" USING btree ("escalation_id","created_at");--> statement-breakpoint
CREATE INDEX "case_notes_contact_idx" ON "case_notes" USING btree ("escalation_id","contact_at");--> statement-breakpoint
CREATE INDEX "case_reroutes_case_idx" ON "case_reroutes" USING btree ("escalation_id","at");