import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CommonJS and ESM builds; Node (and so type-graphql and Apollo) loads the CommonJS one.
    // Vite would pick the ESM build for our own files, giving two graphql realms in one process.
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own server on its own database, so files run in parallel: two at a time, which
    // on a two-core machine overlaps one file's waiting (sockets, timers, child processes, PostgreSQL) with
    // another's work.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
