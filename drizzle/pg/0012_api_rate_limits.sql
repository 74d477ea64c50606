CREATE TABLE "api_rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"points" integer NOT NULL,
	"expire" timestamp (3) with time zone
);
--> statement-breakpoint
DROP TABLE "api_rate_windows" CASCADE;--> statement-breakpoint
CREATE INDEX "api_rate_limits_expire_idx" ON "api_rate_limits" USING btree ("expire");