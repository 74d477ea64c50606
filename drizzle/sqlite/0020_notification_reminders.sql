CREATE TABLE `notification_digest_items` (
	`person_id` text NOT NULL,
	`request_id` text NOT NULL,
	`params` text NOT NULL,
	`created_at` integer NOT NULL,
	`digested_on` text,
	PRIMARY KEY(`person_id`, `request_id`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `notification_digest_items_waiting_idx` ON `notification_digest_items` (`digested_on`,`person_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_notification_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event_seq` integer,
	`recipient_id` text NOT NULL,
	`channel` text NOT NULL,
	`kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`params` text NOT NULL,
	`urgent` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`lease_until` integer,
	`claim_token` text,
	`last_error` text,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`updated_at` integer NOT NULL,
	`dedupe_key` text,
	FOREIGN KEY (`recipient_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_notification_deliveries`("id", "event_seq", "recipient_id", "channel", "kind", "subject_id", "params", "urgent", "status", "attempts", "next_attempt_at", "lease_until", "claim_token", "last_error", "created_at", "sent_at", "updated_at") SELECT "id", "event_seq", "recipient_id", "channel", "kind", "subject_id", "params", "urgent", "status", "attempts", "next_attempt_at", "lease_until", "claim_token", "last_error", "created_at", "sent_at", "updated_at" FROM `notification_deliveries`;--> statement-breakpoint
DROP TABLE `notification_deliveries`;--> statement-breakpoint
ALTER TABLE `__new_notification_deliveries` RENAME TO `notification_deliveries`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `notification_deliveries_dedupe_idx` ON `notification_deliveries` (`dedupe_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `notification_deliveries_decision_idx` ON `notification_deliveries` (`event_seq`,`recipient_id`,`channel`,`kind`);--> statement-breakpoint
CREATE INDEX `notification_deliveries_due_idx` ON `notification_deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `notification_deliveries_finished_idx` ON `notification_deliveries` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `notification_deliveries_recipient_idx` ON `notification_deliveries` (`recipient_id`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `notification_preferences` ADD `new_request_mode` text;--> statement-breakpoint
ALTER TABLE `notification_preferences` ADD `digest_time` text;