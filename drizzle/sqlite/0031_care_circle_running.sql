CREATE TABLE `care_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`circle_id` text NOT NULL,
	`shift_id` text,
	`author_id` text,
	`announcement` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`circle_id`) REFERENCES `care_circles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`shift_id`) REFERENCES `care_shifts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `care_messages_thread_idx` ON `care_messages` (`circle_id`,`shift_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `care_messages_author_idx` ON `care_messages` (`author_id`);--> statement-breakpoint
ALTER TABLE `care_invitations` ADD `revoked_at` integer;--> statement-breakpoint
ALTER TABLE `care_circle_members` ADD `share_load` integer DEFAULT false NOT NULL;