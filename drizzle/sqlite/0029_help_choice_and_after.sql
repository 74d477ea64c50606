CREATE TABLE `help_request_follow_ups` (
	`help_request_id` text PRIMARY KEY NOT NULL,
	`answered_by_id` text NOT NULL,
	`happened` integer NOT NULL,
	`more_needed` text NOT NULL,
	`linked_request_id` text,
	`escalation_id` text,
	`note` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`help_request_id`) REFERENCES `help_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answered_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`linked_request_id`) REFERENCES `help_requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `help_request_offers` (
	`id` text PRIMARY KEY NOT NULL,
	`help_request_id` text NOT NULL,
	`volunteer_id` text NOT NULL,
	`note` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`help_request_id`) REFERENCES `help_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`volunteer_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `help_request_offers_request_volunteer_idx` ON `help_request_offers` (`help_request_id`,`volunteer_id`);--> statement-breakpoint
CREATE INDEX `help_request_offers_volunteer_idx` ON `help_request_offers` (`volunteer_id`);--> statement-breakpoint
CREATE TABLE `help_request_thanks` (
	`help_request_id` text PRIMARY KEY NOT NULL,
	`thanked_by_id` text NOT NULL,
	`volunteer_id` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`help_request_id`) REFERENCES `help_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`thanked_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`volunteer_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `help_request_thanks_volunteer_idx` ON `help_request_thanks` (`volunteer_id`);--> statement-breakpoint
CREATE TABLE `volunteer_hours` (
	`help_request_id` text PRIMARY KEY NOT NULL,
	`volunteer_id` text,
	`neighbourhood_id` text NOT NULL,
	`month` text NOT NULL,
	`minutes` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`help_request_id`) REFERENCES `help_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`volunteer_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`neighbourhood_id`) REFERENCES `neighbourhoods`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `volunteer_hours_volunteer_idx` ON `volunteer_hours` (`volunteer_id`,`month`);--> statement-breakpoint
CREATE INDEX `volunteer_hours_neighbourhood_idx` ON `volunteer_hours` (`month`,`neighbourhood_id`);--> statement-breakpoint
ALTER TABLE `help_requests` ADD `choice_mode` integer DEFAULT false NOT NULL;