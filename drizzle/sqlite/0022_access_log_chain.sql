CREATE TABLE `access_log_chain` (
	`id` text PRIMARY KEY NOT NULL,
	`anchor_seq` integer NOT NULL,
	`anchor_hash` text NOT NULL,
	`head_seq` integer NOT NULL,
	`head_hash` text NOT NULL,
	`started_at` integer NOT NULL,
	`pruned_at` integer
);
--> statement-breakpoint
ALTER TABLE `access_log` ADD `reader_roles` text;--> statement-breakpoint
ALTER TABLE `access_log` ADD `reader_team` text;--> statement-breakpoint
ALTER TABLE `access_log` ADD `reader_organisations` text;--> statement-breakpoint
ALTER TABLE `access_log` ADD `object_type` text;--> statement-breakpoint
ALTER TABLE `access_log` ADD `result` text;--> statement-breakpoint
ALTER TABLE `access_log` ADD `client_address` text;--> statement-breakpoint
ALTER TABLE `access_log` ADD `api_client_id` text;--> statement-breakpoint
ALTER TABLE `access_log` ADD `request_id` text;--> statement-breakpoint
ALTER TABLE `access_log` ADD `seq` integer;--> statement-breakpoint
ALTER TABLE `access_log` ADD `prev_hash` text;--> statement-breakpoint
ALTER TABLE `access_log` ADD `hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `access_log_seq_idx` ON `access_log` (`seq`);