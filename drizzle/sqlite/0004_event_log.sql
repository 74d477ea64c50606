CREATE TABLE `event_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`topic` text NOT NULL,
	`entity_id` text NOT NULL,
	`kind` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `event_log_topic_seq_idx` ON `event_log` (`topic`,`seq`);--> statement-breakpoint
CREATE INDEX `event_log_at_idx` ON `event_log` (`at`);