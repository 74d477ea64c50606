ALTER TABLE `idempotency_keys` ADD `lease_until` integer;--> statement-breakpoint
DELETE FROM `idempotency_keys`;
