CREATE TABLE `api_rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`points` integer NOT NULL,
	`expire` integer
);
--> statement-breakpoint
CREATE INDEX `api_rate_limits_expire_idx` ON `api_rate_limits` (`expire`);--> statement-breakpoint
DROP TABLE `api_rate_windows`;