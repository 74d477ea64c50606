ALTER TABLE "care_invitations" ADD COLUMN "by_email" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "care_invitations" ADD COLUMN "invitee_person_id" text;