CREATE TABLE `api_client_operations` (
	`id` text NOT NULL,
	`client_id` text NOT NULL,
	`sha256` text NOT NULL,
	`operation_name` text,
	`operation_type` text NOT NULL,
	`document` text NOT NULL,
	`created_by_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`client_id`, `sha256`),
	FOREIGN KEY (`client_id`) REFERENCES `api_clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_client_operations_id_unique` ON `api_client_operations` (`id`);--> statement-breakpoint
CREATE INDEX `api_client_operations_created_idx` ON `api_client_operations` (`client_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `api_clients` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text NOT NULL,
	`contact_email` text NOT NULL,
	`service_person_id` text NOT NULL,
	`created_by_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`disabled_at` integer,
	FOREIGN KEY (`service_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `api_clients_created_idx` ON `api_clients` (`created_at`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`client_id` text NOT NULL,
	`label` text NOT NULL,
	`prefix` text NOT NULL,
	`secret_hash` text NOT NULL,
	`scopes` text NOT NULL,
	`rate_limit_per_minute` integer NOT NULL,
	`allow_list_only` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer,
	`revoked_by_id` text,
	`last_used_at` integer,
	`created_by_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`client_id`) REFERENCES `api_clients`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_secret_hash_unique` ON `api_keys` (`secret_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_client_idx` ON `api_keys` (`client_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `api_rate_windows` (
	`bucket` text NOT NULL,
	`window_start` integer NOT NULL,
	`hits` integer NOT NULL,
	PRIMARY KEY(`bucket`, `window_start`)
);
--> statement-breakpoint
CREATE INDEX `api_rate_windows_start_idx` ON `api_rate_windows` (`window_start`);--> statement-breakpoint
CREATE INDEX `help_request_events_status_at_idx` ON `help_request_events` (`to_status`,`at`);--> statement-breakpoint
CREATE INDEX `help_requests_created_idx` ON `help_requests` (`created_at`);