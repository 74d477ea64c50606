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