CREATE TABLE `care_respites` (
	`id` text PRIMARY KEY NOT NULL,
	`circle_id` text NOT NULL,
	`help_request_id` text NOT NULL,
	`window_start` integer NOT NULL,
	`window_end` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`circle_id`) REFERENCES `care_circles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `care_respites_help_request_id_unique` ON `care_respites` (`help_request_id`);--> statement-breakpoint
CREATE INDEX `care_respites_circle_idx` ON `care_respites` (`circle_id`,`window_end`);--> statement-breakpoint
ALTER TABLE `care_shifts` ADD `title` text;--> statement-breakpoint
ALTER TABLE `care_shifts` ADD `notes` text;--> statement-breakpoint
UPDATE `care_shifts` SET `title` = (SELECT `title` FROM `care_tasks` WHERE `care_tasks`.`id` = `care_shifts`.`task_id`), `notes` = (SELECT `notes` FROM `care_tasks` WHERE `care_tasks`.`id` = `care_shifts`.`task_id`);