CREATE TABLE `api_sandboxes` (
	`client_id` text PRIMARY KEY NOT NULL,
	`organisation_id` text NOT NULL,
	`person_id` text NOT NULL,
	`created_by_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `api_clients`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
DROP INDEX `help_requests_open_newest_idx`;--> statement-breakpoint
DROP INDEX `help_requests_open_soonest_idx`;--> statement-breakpoint
ALTER TABLE `help_requests` ADD `sandbox` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `help_requests_open_newest_idx` ON `help_requests` (`created_at`,`id`,`neighbourhood_id`,`category_id`,`window_end`,`window_start`,`vog_required`,`urgency`,`asked_by_id`,`person_helped_id`,`sandbox`) WHERE status = 'OPEN';--> statement-breakpoint
CREATE INDEX `help_requests_open_soonest_idx` ON `help_requests` (`window_start`,`id`,`neighbourhood_id`,`category_id`,`window_end`,`vog_required`,`urgency`,`asked_by_id`,`person_helped_id`,`sandbox`) WHERE status = 'OPEN';--> statement-breakpoint
ALTER TABLE `api_keys` ADD `sandbox` integer DEFAULT false NOT NULL;