CREATE TABLE `offer_asks` (
	`id` text PRIMARY KEY NOT NULL,
	`offer_id` text NOT NULL,
	`asked_by_id` text NOT NULL,
	`person_helped_id` text NOT NULL,
	`category_id` text NOT NULL,
	`neighbourhood_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`vog_required` integer NOT NULL,
	`contact_via` text NOT NULL,
	`language` text,
	`status` text NOT NULL,
	`help_request_id` text,
	`answered_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`offer_id`) REFERENCES `offers`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`asked_by_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_helped_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `offer_asks_offer_idx` ON `offer_asks` (`offer_id`,`status`);--> statement-breakpoint
CREATE INDEX `offer_asks_asked_by_idx` ON `offer_asks` (`asked_by_id`);--> statement-breakpoint
CREATE INDEX `offer_asks_person_helped_idx` ON `offer_asks` (`person_helped_id`);--> statement-breakpoint
CREATE TABLE `offers` (
	`id` text PRIMARY KEY NOT NULL,
	`public_id` text NOT NULL,
	`volunteer_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text NOT NULL,
	`category_ids` text NOT NULL,
	`neighbourhood_ids` text NOT NULL,
	`availability` text NOT NULL,
	`languages` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`volunteer_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `offers_public_id_unique` ON `offers` (`public_id`);--> statement-breakpoint
CREATE INDEX `offers_status_created_idx` ON `offers` (`status`,`created_at`,`public_id`);--> statement-breakpoint
CREATE INDEX `offers_volunteer_idx` ON `offers` (`volunteer_id`);--> statement-breakpoint
ALTER TABLE `help_requests` ADD `language` text;