ALTER TABLE `idempotency_keys` ADD `lease_until` integer;--> statement-breakpoint
CREATE INDEX `consents_escalation_idx` ON `consents` (`escalation_id`);--> statement-breakpoint
DELETE FROM `idempotency_keys`;
