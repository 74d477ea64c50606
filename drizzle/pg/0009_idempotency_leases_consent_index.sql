ALTER TABLE "idempotency_keys" ADD COLUMN "lease_until" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "consents_escalation_idx" ON "consents" USING btree ("escalation_id");--> statement-breakpoint
DELETE FROM "idempotency_keys";
