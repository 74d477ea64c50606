CREATE TABLE `access_log` (
	`id` text PRIMARY KEY NOT NULL,
	`reader_id` text NOT NULL,
	`subject_id` text NOT NULL,
	`fields` text NOT NULL,
	`purpose` text NOT NULL,
	`object_id` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `access_log_subject_idx` ON `access_log` (`subject_id`,`at`);--> statement-breakpoint
CREATE INDEX `access_log_reader_idx` ON `access_log` (`reader_id`,`at`);--> statement-breakpoint
CREATE TABLE `app_settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `areas` (
	`id` text PRIMARY KEY NOT NULL,
	`municipality` text NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `help_categories` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`name_nl` text NOT NULL,
	`description` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `help_categories_code_unique` ON `help_categories` (`code`);--> statement-breakpoint
CREATE TABLE `help_request_events` (
	`id` text PRIMARY KEY NOT NULL,
	`help_request_id` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`actor_id` text,
	`note` text,
	`at` integer NOT NULL,
	FOREIGN KEY (`help_request_id`) REFERENCES `help_requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `help_request_events_request_idx` ON `help_request_events` (`help_request_id`,`at`);--> statement-breakpoint
CREATE TABLE `help_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`person_helped_id` text NOT NULL,
	`asked_by_id` text NOT NULL,
	`category_id` text NOT NULL,
	`neighbourhood_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`urgency` text NOT NULL,
	`vog_required` integer NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`status` text NOT NULL,
	`volunteer_id` text,
	`release_count` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`person_helped_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`asked_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `help_categories`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`neighbourhood_id`) REFERENCES `neighbourhoods`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`volunteer_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `help_requests_browse_new_idx` ON `help_requests` (`status`,`neighbourhood_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `help_requests_browse_soon_idx` ON `help_requests` (`status`,`neighbourhood_id`,`window_start`);--> statement-breakpoint
CREATE INDEX `help_requests_status_end_idx` ON `help_requests` (`status`,`window_end`);--> statement-breakpoint
CREATE INDEX `help_requests_person_idx` ON `help_requests` (`person_helped_id`);--> statement-breakpoint
CREATE INDEX `help_requests_asked_by_idx` ON `help_requests` (`asked_by_id`);--> statement-breakpoint
CREATE INDEX `help_requests_volunteer_idx` ON `help_requests` (`volunteer_id`);--> statement-breakpoint
CREATE TABLE `neighbourhoods` (
	`id` text PRIMARY KEY NOT NULL,
	`area_id` text NOT NULL,
	`name` text NOT NULL,
	`latitude` real NOT NULL,
	`longitude` real NOT NULL,
	FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `neighbourhoods_area_idx` ON `neighbourhoods` (`area_id`);--> statement-breakpoint
CREATE TABLE `people` (
	`id` text PRIMARY KEY NOT NULL,
	`first_name` text NOT NULL,
	`last_name` text,
	`email` text,
	`password_hash` text,
	`phone` text,
	`address` text,
	`neighbourhood_id` text,
	`birth_date` text,
	`created_by_id` text,
	`team_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`neighbourhood_id`) REFERENCES `neighbourhoods`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `people_email_unique` ON `people` (`email`);--> statement-breakpoint
CREATE INDEX `people_created_by_idx` ON `people` (`created_by_id`);--> statement-breakpoint
CREATE TABLE `person_roles` (
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`granted_at` integer NOT NULL,
	`granted_by_id` text,
	PRIMARY KEY(`person_id`, `role`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`area_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	FOREIGN KEY (`area_id`) REFERENCES `areas`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `teams_area_kind_idx` ON `teams` (`area_id`,`kind`);--> statement-breakpoint
CREATE TABLE `volunteer_categories` (
	`person_id` text NOT NULL,
	`category_id` text NOT NULL,
	PRIMARY KEY(`person_id`, `category_id`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_id`) REFERENCES `help_categories`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `volunteer_neighbourhoods` (
	`person_id` text NOT NULL,
	`neighbourhood_id` text NOT NULL,
	PRIMARY KEY(`person_id`, `neighbourhood_id`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`neighbourhood_id`) REFERENCES `neighbourhoods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `volunteer_profiles` (
	`person_id` text PRIMARY KEY NOT NULL,
	`languages` text NOT NULL,
	`availability` text NOT NULL,
	`vog_status` text NOT NULL,
	`vog_issued_on` text,
	`vog_verified_by_id` text,
	`vog_verified_at` integer,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
