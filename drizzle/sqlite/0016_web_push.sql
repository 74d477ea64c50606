CREATE TABLE `notification_push_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`endpoint` text NOT NULL,
	`p256dh` text NOT NULL,
	`auth` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_success_at` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notification_push_subscriptions_endpoint_idx` ON `notification_push_subscriptions` (`endpoint`);--> statement-breakpoint
CREATE INDEX `notification_push_subscriptions_person_idx` ON `notification_push_subscriptions` (`person_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `notification_vapid_keys` (
	`name` text PRIMARY KEY NOT NULL,
	`public_key` text NOT NULL,
	`private_key` text NOT NULL,
	`created_at` integer NOT NULL
);
