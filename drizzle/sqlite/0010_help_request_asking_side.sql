ALTER TABLE `help_requests` ADD `asking_organisation_id` text;--> statement-breakpoint
ALTER TABLE `help_requests` ADD `contact_via` text DEFAULT 'PERSON_HELPED' NOT NULL;