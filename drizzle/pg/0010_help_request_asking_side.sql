ALTER TABLE "help_requests" ADD COLUMN "asking_organisation_id" text;--> statement-breakpoint
ALTER TABLE "help_requests" ADD COLUMN "contact_via" text DEFAULT 'PERSON_HELPED' NOT NULL;