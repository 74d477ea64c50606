ALTER TABLE `help_categories` ADD `vog_required` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `volunteer_profiles` ADD `vog_declared_at` integer;--> statement-breakpoint
CREATE INDEX `volunteer_profiles_vog_queue_idx` ON `volunteer_profiles` (`vog_status`,`vog_declared_at`,`person_id`);--> statement-breakpoint
CREATE INDEX `volunteer_profiles_vog_issued_idx` ON `volunteer_profiles` (`vog_status`,`vog_issued_on`);