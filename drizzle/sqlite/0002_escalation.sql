CREATE TABLE `consents` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_id` text NOT NULL,
	`team_id` text NOT NULL,
	`purpose` text NOT NULL,
	`escalation_id` text,
	`given_by_id` text NOT NULL,
	`given_at` integer NOT NULL,
	`withdrawn_by_id` text,
	`withdrawn_at` integer,
	FOREIGN KEY (`subject_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consents_subject_team_idx` ON `consents` (`subject_id`,`team_id`);--> statement-breakpoint
CREATE TABLE `escalation_audit` (
	`id` text PRIMARY KEY NOT NULL,
	`escalation_id` text NOT NULL,
	`kind` text NOT NULL,
	`actor_id` text,
	`note` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `escalation_audit_idx` ON `escalation_audit` (`escalation_id`,`at`);--> statement-breakpoint
CREATE TABLE `escalations` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`trigger` text NOT NULL,
	`flag_reason` text,
	`reason_note` text,
	`help_request_id` text,
	`circle_id` text,
	`subject_id` text NOT NULL,
	`raised_by_id` text,
	`neighbourhood_id` text NOT NULL,
	`category_id` text,
	`urgency` text NOT NULL,
	`lead_team_id` text NOT NULL,
	`co_team_id` text,
	`routing_note` text NOT NULL,
	`status` text NOT NULL,
	`outcome` text,
	`assignee_id` text,
	`consent_bypass_basis` text,
	`created_at` integer NOT NULL,
	`acknowledge_by` integer NOT NULL,
	`acknowledged_at` integer,
	`closed_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`help_request_id`) REFERENCES `help_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`subject_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`neighbourhood_id`) REFERENCES `neighbourhoods`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`co_team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `escalations_dedupe_key_unique` ON `escalations` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `escalations_lead_queue_idx` ON `escalations` (`lead_team_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `escalations_co_queue_idx` ON `escalations` (`co_team_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `escalations_request_idx` ON `escalations` (`help_request_id`);--> statement-breakpoint
CREATE INDEX `escalations_subject_idx` ON `escalations` (`subject_id`);--> statement-breakpoint
CREATE TABLE `initiative_categories` (
	`initiative_id` text NOT NULL,
	`category_id` text NOT NULL,
	PRIMARY KEY(`initiative_id`, `category_id`),
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `help_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `initiative_categories_category_idx` ON `initiative_categories` (`category_id`);--> statement-breakpoint
CREATE TABLE `initiative_languages` (
	`initiative_id` text NOT NULL,
	`language` text NOT NULL,
	PRIMARY KEY(`initiative_id`, `language`),
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `initiative_occurrences` (
	`initiative_id` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	PRIMARY KEY(`initiative_id`, `starts_at`),
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `initiative_occurrences_ends_idx` ON `initiative_occurrences` (`initiative_id`,`ends_at`);--> statement-breakpoint
CREATE TABLE `initiative_signups` (
	`id` text PRIMARY KEY NOT NULL,
	`initiative_id` text NOT NULL,
	`person_id` text NOT NULL,
	`signed_up_by_id` text NOT NULL,
	`status` text NOT NULL,
	`position` integer NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`promoted_at` integer,
	`cancelled_at` integer,
	`cancelled_by_id` text,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`signed_up_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `initiative_signups_position_idx` ON `initiative_signups` (`initiative_id`,`position`);--> statement-breakpoint
CREATE INDEX `initiative_signups_status_idx` ON `initiative_signups` (`initiative_id`,`status`,`position`);--> statement-breakpoint
CREATE INDEX `initiative_signups_person_idx` ON `initiative_signups` (`person_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `initiative_signups_signed_up_by_idx` ON `initiative_signups` (`signed_up_by_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `initiatives` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`neighbourhood_id` text NOT NULL,
	`address` text,
	`capacity` integer,
	`taken_count` integer NOT NULL,
	`waitlist_count` integer NOT NULL,
	`last_position` integer NOT NULL,
	`min_age` integer,
	`max_age` integer,
	`accessibility` text,
	`recurrence` text,
	`first_starts_at` integer,
	`last_ends_at` integer,
	`search_title` text NOT NULL,
	`search_text` text NOT NULL,
	`published_at` integer,
	`closed_at` integer,
	`close_reason` text,
	`created_by_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`neighbourhood_id`) REFERENCES `neighbourhoods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `initiatives_discover_idx` ON `initiatives` (`status`,`neighbourhood_id`,`last_ends_at`);--> statement-breakpoint
CREATE INDEX `initiatives_published_idx` ON `initiatives` (`status`,`published_at`);--> statement-breakpoint
CREATE INDEX `initiatives_organisation_idx` ON `initiatives` (`organisation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `initiatives_kind_idx` ON `initiatives` (`kind`,`status`);--> statement-breakpoint
CREATE TABLE `organisation_members` (
	`organisation_id` text NOT NULL,
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`added_by_id` text,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`organisation_id`, `person_id`),
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `organisation_members_person_idx` ON `organisation_members` (`person_id`);--> statement-breakpoint
CREATE TABLE `organisations` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`description` text NOT NULL,
	`neighbourhood_id` text NOT NULL,
	`address` text,
	`phone` text,
	`email` text,
	`website` text,
	`verified_at` integer,
	`verified_by_id` text,
	`created_by_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`neighbourhood_id`) REFERENCES `neighbourhoods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `organisations_created_idx` ON `organisations` (`created_at`);--> statement-breakpoint
CREATE INDEX `organisations_neighbourhood_idx` ON `organisations` (`neighbourhood_id`);--> statement-breakpoint
CREATE TABLE `participation_placements` (
	`id` text PRIMARY KEY NOT NULL,
	`initiative_id` text NOT NULL,
	`organisation_id` text NOT NULL,
	`participant_id` text NOT NULL,
	`referred_by_id` text NOT NULL,
	`status` text NOT NULL,
	`note` text,
	`decision_note` text,
	`referred_at` integer NOT NULL,
	`accepted_at` integer,
	`started_at` integer,
	`ended_at` integer,
	`end_reason` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`initiative_id`) REFERENCES `initiatives`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`organisation_id`) REFERENCES `organisations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`participant_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`referred_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `participation_placements_org_idx` ON `participation_placements` (`organisation_id`,`status`);--> statement-breakpoint
CREATE INDEX `participation_placements_initiative_idx` ON `participation_placements` (`initiative_id`,`status`);--> statement-breakpoint
CREATE INDEX `participation_placements_participant_idx` ON `participation_placements` (`participant_id`);--> statement-breakpoint
CREATE INDEX `participation_placements_referrer_idx` ON `participation_placements` (`referred_by_id`,`referred_at`);--> statement-breakpoint
CREATE INDEX `participation_placements_started_idx` ON `participation_placements` (`started_at`);--> statement-breakpoint
ALTER TABLE `help_requests` ADD `organisation_id` text;