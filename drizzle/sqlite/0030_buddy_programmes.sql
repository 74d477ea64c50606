CREATE TABLE `buddy_checkins` (
	`id` text PRIMARY KEY NOT NULL,
	`match_id` text NOT NULL,
	`person_id` text NOT NULL,
	`note` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`match_id`) REFERENCES `buddy_matches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `buddy_checkins_match_idx` ON `buddy_checkins` (`match_id`,`at`);--> statement-breakpoint
CREATE TABLE `buddy_evaluations` (
	`match_id` text NOT NULL,
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`went_well` integer NOT NULL,
	`note` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`match_id`, `role`),
	FOREIGN KEY (`match_id`) REFERENCES `buddy_matches`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `buddy_matches` (
	`id` text PRIMARY KEY NOT NULL,
	`programme_id` text NOT NULL,
	`participant_id` text NOT NULL,
	`buddy_id` text NOT NULL,
	`status` text NOT NULL,
	`checkin_every_days` integer NOT NULL,
	`started_at` integer NOT NULL,
	`planned_end_at` integer NOT NULL,
	`next_checkin_due` integer NOT NULL,
	`missed_in_row` integer NOT NULL,
	`paused_at` integer,
	`paused_days` integer NOT NULL,
	`ended_at` integer,
	`ended_by_id` text,
	`matched_by_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `buddy_programmes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`participant_id`) REFERENCES `buddy_participants`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`buddy_id`) REFERENCES `buddy_volunteers`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `buddy_matches_programme_idx` ON `buddy_matches` (`programme_id`,`status`);--> statement-breakpoint
CREATE INDEX `buddy_matches_due_idx` ON `buddy_matches` (`status`,`next_checkin_due`);--> statement-breakpoint
CREATE TABLE `buddy_participants` (
	`id` text PRIMARY KEY NOT NULL,
	`programme_id` text NOT NULL,
	`person_id` text NOT NULL,
	`referral` text NOT NULL,
	`referred_by_id` text,
	`consent_at` integer NOT NULL,
	`consent_note` text,
	`neighbourhood_id` text,
	`languages` text NOT NULL,
	`interests` text NOT NULL,
	`weekdays` text NOT NULL,
	`status` text NOT NULL,
	`referred_at` integer NOT NULL,
	`skip_note` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `buddy_programmes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`neighbourhood_id`) REFERENCES `neighbourhoods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `buddy_participants_queue_idx` ON `buddy_participants` (`programme_id`,`status`,`referred_at`);--> statement-breakpoint
CREATE INDEX `buddy_participants_person_idx` ON `buddy_participants` (`person_id`);--> statement-breakpoint
CREATE TABLE `buddy_programme_coordinators` (
	`programme_id` text NOT NULL,
	`person_id` text NOT NULL,
	`added_by_id` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`programme_id`, `person_id`),
	FOREIGN KEY (`programme_id`) REFERENCES `buddy_programmes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `buddy_programmes` (
	`id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`kind_name` text,
	`intake_criteria` text NOT NULL,
	`training_name` text,
	`vog_required` integer NOT NULL,
	`works_with_minors_or_families` integer NOT NULL,
	`frequency` text NOT NULL,
	`min_months` integer NOT NULL,
	`max_months` integer NOT NULL,
	`created_by_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `buddy_programmes_org_idx` ON `buddy_programmes` (`organisation_id`);--> statement-breakpoint
CREATE TABLE `buddy_signals` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`programme_id` text NOT NULL,
	`match_id` text NOT NULL,
	`kind` text NOT NULL,
	`due_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`acknowledged_at` integer,
	`acknowledged_by_id` text,
	FOREIGN KEY (`match_id`) REFERENCES `buddy_matches`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `buddy_signals_dedupe_key_unique` ON `buddy_signals` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `buddy_signals_programme_idx` ON `buddy_signals` (`programme_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `buddy_volunteers` (
	`id` text PRIMARY KEY NOT NULL,
	`programme_id` text NOT NULL,
	`person_id` text NOT NULL,
	`neighbourhood_id` text,
	`languages` text NOT NULL,
	`interests` text NOT NULL,
	`weekdays` text NOT NULL,
	`capacity` integer NOT NULL,
	`status` text NOT NULL,
	`trained_at` integer,
	`training_recorded_by_id` text,
	`applied_at` integer NOT NULL,
	FOREIGN KEY (`programme_id`) REFERENCES `buddy_programmes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`neighbourhood_id`) REFERENCES `neighbourhoods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `buddy_volunteers_one_idx` ON `buddy_volunteers` (`programme_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `buddy_volunteers_person_idx` ON `buddy_volunteers` (`person_id`);