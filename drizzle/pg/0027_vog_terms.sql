ALTER TABLE "help_categories" ADD COLUMN "vog_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "volunteer_profiles" ADD COLUMN "vog_declared_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "volunteer_profiles_vog_queue_idx" ON "volunteer_profiles" USING btree ("vog_status","vog_declared_at","person_id");--> statement-breakpoint
CREATE INDEX "volunteer_profiles_vog_issued_idx" ON "volunteer_profiles" USING btree ("vog_status","vog_issued_on");