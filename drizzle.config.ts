import { defineConfig } from "drizzle-kit";

/** SQLite migrations (embedded default). PostgreSQL has its own: drizzle.pg.config.ts. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/app.tables.sqlite.ts",
  out: "./drizzle/sqlite",
});
