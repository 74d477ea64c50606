CREATE TABLE `case_documents` (
	`id` text PRIMARY KEY NOT NULL,
	`escalation_id` text NOT NULL,
	`uploaded_by_id` text NOT NULL,
	`file_name` text NOT NULL,
	`media_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_documents_case_idx` ON `case_documents` (`escalation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `case_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`escalation_id` text NOT NULL,
	`author_id` text NOT NULL,
	`channel` text,
	`contact_at` integer,
	`body` text NOT NULL,
	`agreed` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_notes_case_idx` ON `case_notes` (`escalation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `case_notes_contact_idx` ON `case_notes` (`escalation_id`,`contact_at`);--> statement-breakpoint
CREATE TABLE `case_reroutes` (
	`id` text PRIMARY KEY NOT NULL,
	`escalation_id` text NOT NULL,
	`from_lead_team_id` text NOT NULL,
	`from_co_team_id` text,
	`to_lead_team_id` text NOT NULL,
	`to_co_team_id` text,
	`reason` text NOT NULL,
	`by_id` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`escalation_id`) REFERENCES `escalations`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_reroutes_case_idx` ON `case_reroutes` (`escalation_id`,`at`);