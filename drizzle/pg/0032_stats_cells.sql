CREATE TABLE "stats_cells" (
	"month" text NOT NULL,
	"neighbourhood_id" text NOT NULL,
	"figures" jsonb NOT NULL,
	"computed_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "stats_cells_month_neighbourhood_id_pk" PRIMARY KEY("month","neighbourhood_id")
);
--> statement-breakpoint
CREATE TABLE "stats_state" (
	"name" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"generation" bigint NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
