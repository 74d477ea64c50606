CREATE INDEX `care_checkins_at_idx` ON `care_checkins` (`at`);--> statement-breakpoint
CREATE INDEX `care_load_signals_resolved_idx` ON `care_load_signals` (`resolved_at`);--> statement-breakpoint
CREATE INDEX `care_shifts_ends_idx` ON `care_shifts` (`ends_at`);--> statement-breakpoint
CREATE INDEX `escalations_status_closed_idx` ON `escalations` (`status`,`closed_at`);--> statement-breakpoint
CREATE INDEX `help_requests_status_updated_idx` ON `help_requests` (`status`,`updated_at`);