import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildGraphQLSchema, printSortedSchema } from "./schema.js";

/** `npm run schema`: writes schema/schema.graphql from the code. */
export const schemaFile = resolve(dirname(fileURLToPath(import.meta.url)), "../../schema/schema.graphql");

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  writeFileSync(schemaFile, printSortedSchema(buildGraphQLSchema(null)));
  console.log(`wrote ${schemaFile}`);
}
