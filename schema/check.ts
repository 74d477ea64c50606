import "reflect-metadata";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Change, CriticalityLevel, diff } from "@graphql-inspector/core";
import { buildSchema } from "graphql";
import { buildGraphQLSchema, schemaFile } from "../src/app.schema.js";
import { printSortedSchema } from "../src/graphql/schema.js";

/**
 * The schema is the partner contract. `schema/released.graphql` is the schema of the last release;
 * the code's schema may add to it but not break it. Breaking changes (a removed field, type or enum
 * value, a field's type narrowed, a new required argument or input field, ...) are found with
 * GraphQL Inspector's diff and fail `npm run schema:check` and the contract test. The release
 * procedure is in docs/schema-releases.md.
 */
export const releasedFile = resolve(dirname(fileURLToPath(import.meta.url)), "released.graphql");

export interface SchemaComparison {
  breaking: Change[];
  dangerous: Change[];
  safe: Change[];
}

/** Compares two SDL texts: what a client built against `released` may notice in `current`. */
export async function compareSchemas(released: string, current: string): Promise<SchemaComparison> {
  const changes = await diff(buildSchema(released), buildSchema(current));
  const of = (level: CriticalityLevel) => changes.filter((c) => c.criticality.level === level);
  return { breaking: of(CriticalityLevel.Breaking), dangerous: of(CriticalityLevel.Dangerous), safe: of(CriticalityLevel.NonBreaking) };
}

/** The schema the code builds now, as `npm run schema` writes it. */
export const currentSdl = (): string => printSortedSchema(buildGraphQLSchema(null));

/** One line per change, for people: level, path and message. */
export function describeChanges(changes: Change[]): string[] {
  return changes.map((c) => `${c.criticality.level.padEnd(12)} ${c.path ?? ""}${c.path ? ": " : ""}${c.message}`);
}

async function main(args: string[]): Promise<number> {
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const releasedPath = option("--released") ?? releasedFile;
  const current = currentSdl();
  if (readFileSync(schemaFile, "utf8") !== current) {
    console.error("schema/schema.graphql is stale: run `npm run schema` and commit it.");
    return 1;
  }
  const { breaking, dangerous, safe } = await compareSchemas(readFileSync(releasedPath, "utf8"), current);
  console.log(`Compared with ${releasedPath}: ${breaking.length} breaking, ${dangerous.length} dangerous, ${safe.length} safe change(s).`);
  for (const line of describeChanges([...breaking, ...dangerous, ...safe])) console.log(`  ${line}`);
  if (args.includes("--release")) {
    if (breaking.length && !args.includes("--accept-breaking")) {
      console.error("Not released: breaking changes. Deprecate first (docs/schema-releases.md), or pass --accept-breaking for a new major version.");
      return 1;
    }
    writeFileSync(releasedFile, current);
    console.log(`Released: wrote ${releasedFile}. Commit it with the version and a changelog line.`);
    return 0;
  }
  if (breaking.length) {
    console.error("Breaking changes against the released schema: partner apps built on it would fail. See docs/schema-releases.md.");
    return 1;
  }
  return 0;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}
