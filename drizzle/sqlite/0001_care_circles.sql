CREATE TABLE `care_checkins` (
	`id` text PRIMARY KEY NOT NULL,
	`circle_id` text NOT NULL,
	`person_id` text NOT NULL,
	`strain` text NOT NULL,
	`note` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`circle_id`) REFERENCES `care_circles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `care_checkins_person_idx` ON `care_checkins` (`circle_id`,`person_id`,`at`);--> statement-breakpoint
CREATE TABLE `care_circles` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`care_receiver_id` text NOT NULL,
	`neighbourhood_id` text NOT NULL,
	`created_by_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`care_receiver_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`neighbourhood_id`) REFERENCES `neighbourhoods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `care_circles_receiver_idx` ON `care_circles` (`care_receiver_id`);--> statement-breakpoint
CREATE TABLE `care_invitations` (
	`id` text PRIMARY KEY NOT NULL,
	`circle_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`relation` text NOT NULL,
	`invited_by_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_by_id` text,
	`used_at` integer,
	FOREIGN KEY (`circle_id`) REFERENCES `care_circles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `care_invitations_code_hash_unique` ON `care_invitations` (`code_hash`);--> statement-breakpoint
CREATE INDEX `care_invitations_circle_idx` ON `care_invitations` (`circle_id`);--> statement-breakpoint
CREATE TABLE `care_load_signals` (
	`id` text PRIMARY KEY NOT NULL,
	`circle_id` text NOT NULL,
	`person_id` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text NOT NULL,
	`since` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`circle_id`) REFERENCES `care_circles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `care_load_signals_open_idx` ON `care_load_signals` (`circle_id`,`person_id`,`reason`,`resolved_at`);--> statement-breakpoint
CREATE TABLE `care_circle_members` (
	`circle_id` text NOT NULL,
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`relation` text NOT NULL,
	`joined_at` integer NOT NULL,
	`left_at` integer,
	`calendar_version` integer NOT NULL,
	PRIMARY KEY(`circle_id`, `person_id`),
	FOREIGN KEY (`circle_id`) REFERENCES `care_circles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `care_members_person_idx` ON `care_circle_members` (`person_id`);--> statement-breakpoint
CREATE TABLE `care_shifts` (
	`id` text PRIMARY KEY NOT NULL,
	`task_id` text NOT NULL,
	`circle_id` text NOT NULL,
	`occurrence` text NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`status` text NOT NULL,
	`assignee_id` text,
	`flagged` integer NOT NULL,
	`cover_requested` integer NOT NULL,
	`help_request_id` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`task_id`) REFERENCES `care_tasks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`circle_id`) REFERENCES `care_circles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `care_shifts_occurrence_idx` ON `care_shifts` (`task_id`,`occurrence`);--> statement-breakpoint
CREATE INDEX `care_shifts_circle_time_idx` ON `care_shifts` (`circle_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `care_shifts_assignee_time_idx` ON `care_shifts` (`assignee_id`,`starts_at`);--> statement-breakpoint
CREATE INDEX `care_shifts_status_time_idx` ON `care_shifts` (`status`,`starts_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `care_shifts_help_request_idx` ON `care_shifts` (`help_request_id`);--> statement-breakpoint
CREATE TABLE `care_swaps` (
	`id` text PRIMARY KEY NOT NULL,
	`shift_id` text NOT NULL,
	`from_id` text NOT NULL,
	`to_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`shift_id`) REFERENCES `care_shifts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `care_swaps_shift_idx` ON `care_swaps` (`shift_id`);--> statement-breakpoint
CREATE TABLE `care_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`circle_id` text NOT NULL,
	`title` text NOT NULL,
	`category_id` text NOT NULL,
	`notes` text,
	`vog_required` integer NOT NULL,
	`start_date` text NOT NULL,
	`start_time` text NOT NULL,
	`duration_minutes` integer NOT NULL,
	`weekdays` text NOT NULL,
	`interval_weeks` integer NOT NULL,
	`end_date` text,
	`active` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`circle_id`) REFERENCES `care_circles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `help_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `care_tasks_circle_idx` ON `care_tasks` (`circle_id`);