import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildGraphQLSchema, schemaFile } from "../src/app.schema.js";
import { printSortedSchema } from "../src/graphql/schema.js";

describe("the committed schema", () => {
  it("matches the SDL the code emits (run `npm run schema` after changing the API)", () => {
    expect(readFileSync(schemaFile, "utf8")).toBe(printSortedSchema(buildGraphQLSchema(null)));
  });

  it("describes every type and field, and names the Dutch term of the main types", () => {
    const schema = buildGraphQLSchema(null);
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if ("getFields" in type) {
        for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
    expect(schema.getType("HelpRequest")!.description).toMatch(/hulpvraag/);
    expect(schema.getType("Neighbourhood")!.description).toMatch(/wijk/);
  });
});
