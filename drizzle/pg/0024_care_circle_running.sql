ALTER TABLE "care_invitations" ADD COLUMN "revoked_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "care_circle_members" ADD COLUMN "share_load" boolean DEFAULT false NOT NULL;