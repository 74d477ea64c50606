CREATE TABLE "care_messages" (
	"id" text PRIMARY KEY NOT NULL,
	"circle_id" text NOT NULL,
	"shift_id" text,
	"author_id" text,
	"announcement" boolean NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "care_invitations" ADD COLUMN "revoked_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "care_circle_members" ADD COLUMN "share_load" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "care_messages" ADD CONSTRAINT "care_messages_circle_id_care_circles_id_fk" FOREIGN KEY ("circle_id") REFERENCES "public"."care_circles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_messages" ADD CONSTRAINT "care_messages_shift_id_care_shifts_id_fk" FOREIGN KEY ("shift_id") REFERENCES "public"."care_shifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "care_messages_thread_idx" ON "care_messages" USING btree ("circle_id","shift_id","created_at");--> statement-breakpoint
CREATE INDEX "care_messages_author_idx" ON "care_messages" USING btree ("author_id");