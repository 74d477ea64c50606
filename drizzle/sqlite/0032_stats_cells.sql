CREATE TABLE `stats_cells` (
	`month` text NOT NULL,
	`neighbourhood_id` text NOT NULL,
	`figures` text NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`month`, `neighbourhood_id`)
);
--> statement-breakpoint
CREATE TABLE `stats_state` (
	`name` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`generation` integer NOT NULL,
	`updated_at` integer NOT NULL
);
