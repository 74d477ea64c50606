// @ts-check
/**
 * `npm start`: builds dist/ first when it is missing or out of date (see build.mjs), then runs the
 * compiled server in this same process, so signals (SIGTERM, Ctrl-C) reach it directly.
 */
import { pathToFileURL } from "node:url";
import { buildIfStale, compiledMain } from "./build.mjs";

try {
  buildIfStale();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
await import(pathToFileURL(compiledMain).href);
