ALTER TABLE "idempotency_keys" ADD COLUMN "lease_until" timestamp (3) with time zone;--> statement-breakpoint
DELETE FROM "idempotency_keys";
