CREATE TABLE `data_exports` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_id` text NOT NULL,
	`requested_by_id` text NOT NULL,
	`basis` text,
	`status` text NOT NULL,
	`lease_until` integer NOT NULL,
	`content` text,
	`size_bytes` integer,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `data_exports_subject_idx` ON `data_exports` (`subject_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `data_exports_requested_by_idx` ON `data_exports` (`requested_by_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `data_exports_running_idx` ON `data_exports` (`subject_id`) WHERE status = 'RUNNING';