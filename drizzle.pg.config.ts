import { defineConfig } from "drizzle-kit";

/** PostgreSQL migrations, generated from the same table declarations as SQLite's. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/app.tables.pg.ts",
  out: "./drizzle/pg",
});
