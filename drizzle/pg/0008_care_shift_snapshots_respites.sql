CREATE TABLE "care_respites" (
	"id" text PRIMARY KEY NOT NULL,
	"circle_id" text NOT NULL,
	"help_request_id" text NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"window_end" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "care_respites_help_request_id_unique" UNIQUE("help_request_id")
);
--> statement-breakpoint
ALTER TABLE "care_shifts" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "care_shifts" ADD COLUMN "notes" text;--> statement-breakpoint
ALTER TABLE "care_respites" ADD CONSTRAINT "care_respites_circle_id_care_circles_id_fk" FOREIGN KEY ("circle_id") REFERENCES "public"."care_circles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_respites_circle_idx" ON "care_respites" USING btree ("circle_id","window_end");--> statement-breakpoint
UPDATE "care_shifts" SET "title" = (SELECT "title" FROM "care_tasks" WHERE "care_tasks"."id" = "care_shifts"."task_id"), "notes" = (SELECT "notes" FROM "care_tasks" WHERE "care_tasks"."id" = "care_shifts"."task_id");