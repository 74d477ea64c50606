ALTER TABLE `care_invitations` ADD `revoked_at` integer;--> statement-breakpoint
ALTER TABLE `care_circle_members` ADD `share_load` integer DEFAULT false NOT NULL;