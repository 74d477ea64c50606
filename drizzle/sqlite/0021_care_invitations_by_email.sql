ALTER TABLE `care_invitations` ADD `by_email` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `care_invitations` ADD `invitee_person_id` text;