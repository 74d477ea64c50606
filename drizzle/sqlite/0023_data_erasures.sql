CREATE TABLE `data_erasures` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_id` text NOT NULL,
	`requested_by_id` text NOT NULL,
	`basis` text,
	`status` text NOT NULL,
	`lease_until` integer NOT NULL,
	`record` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `data_erasures_subject_idx` ON `data_erasures` (`subject_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `data_erasures_requested_by_idx` ON `data_erasures` (`requested_by_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `data_erasures_running_idx` ON `data_erasures` (`subject_id`) WHERE status = 'RUNNING';--> statement-breakpoint
CREATE TABLE `data_restrictions` (
	`object_id` text PRIMARY KEY NOT NULL,
	`subject_id` text NOT NULL,
	`erasure_id` text NOT NULL,
	`section` text NOT NULL,
	`legal_basis` text NOT NULL,
	`kept_for` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `data_restrictions_subject_idx` ON `data_restrictions` (`subject_id`);