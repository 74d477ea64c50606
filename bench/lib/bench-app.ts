/**
 * The app over a generated data set, for benchmarks that call its services directly: on a copy of the
 * SQLite file, or on the same rows copied into a fresh PostgreSQL database (pg-load.ts), no HTTP.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config/env.js";
import { type DataManifest, ensureData } from "../generate.js";
import { loadIntoPostgres } from "./pg-load.js";
import type { SizeName } from "./sizes.js";

export type BenchDialect = "sqlite" | "postgres";

export interface BenchApp {
  app: Awaited<ReturnType<typeof createApp>>;
  manifest: DataManifest;
  /** Seconds the copy into PostgreSQL took (PostgreSQL only). */
  loadSeconds?: number;
  close(): Promise<void>;
}

export function dialectArg(value: string | undefined): BenchDialect {
  const dialect = value ?? "sqlite";
  if (dialect !== "sqlite" && dialect !== "postgres") throw new Error(`unknown dialect "${dialect}": use sqlite or postgres`);
  return dialect;
}

export async function openBenchApp(size: SizeName, dialect: BenchDialect, pgServer: string, log: (line: string) => void): Promise<BenchApp> {
  const manifest = await ensureData(size, { log });
  const dir = mkdtempSync(join(tmpdir(), "zorgzaam-bench-app-"));
  let databaseUrl = join(dir, "bench.sqlite");
  let loadSeconds: number | undefined;
  if (dialect === "postgres") {
    const loaded = await loadIntoPostgres(manifest.file, pgServer, `bench_${size}`, log);
    databaseUrl = loaded.url;
    loadSeconds = loaded.seconds;
  } else {
    copyFileSync(manifest.file, databaseUrl);
    for (const ext of ["-wal", "-shm"]) if (existsSync(manifest.file + ext)) copyFileSync(manifest.file + ext, databaseUrl + ext);
  }
  const app = await createApp(
    loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      JWT_SECRET: "bench-secret-that-is-long-enough-for-hs256",
      SEED_ON_EMPTY: "false",
      SWEEP_INTERVAL_MS: "0",
      LOG_LEVEL: "warn",
    }),
  );
  return {
    app,
    manifest,
    loadSeconds,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
