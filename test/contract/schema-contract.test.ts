import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type ASTVisitor,
  type GraphQLSchema,
  Kind,
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  parse,
  print,
  visit,
} from "graphql";
import { describe, expect, it } from "vitest";
import { compareSchemas, currentSdl, describeChanges, releasedFile } from "../../schema/check.js";
import { schemaFile } from "../../src/app.schema.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Every schema element a partner reads about that has no description: types, fields, arguments, input fields, enum values, directives. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith("__") || isSpecifiedScalarType(type)) continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!field.description) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
  }
  for (const directive of schema.getDirectives()) {
    if (isSpecifiedDirective(directive)) continue;
    if (!directive.description) missing.push(`@${directive.name}`);
    for (const arg of directive.args) if (!arg.description) missing.push(`@${directive.name}(${arg.name})`);
  }
  return missing.sort();
}

/** The released SDL with one edit applied to its syntax tree. */
function edited(sdl: string, edit: ASTVisitor): string {
  return print(visit(parse(sdl), edit));
}

describe("the schema is the contract", () => {
  const emitted = buildSchema(readFileSync(schemaFile, "utf8"));
  const released = readFileSync(releasedFile, "utf8");

  it("describes every type, field, argument, input field, enum value and directive of the emitted schema", () => {
    expect(undescribed(emitted), "describe these in the code (GraphQL descriptions), then run `npm run schema`").toEqual([]);
  });

  it("has no breaking change against the released schema (schema/released.graphql)", async () => {
    const { breaking } = await compareSchemas(released, currentSdl());
    expect(describeChanges(breaking), "breaking changes: deprecate first, see docs/schema-releases.md").toEqual([]);
  });

  it("the check finds removed fields, removed enum values, new required arguments and narrowed types, and lets additions through", async () => {
    const removedField = edited(released, {
      ObjectTypeDefinition: (node) => (node.name.value === "Query" ? { ...node, fields: node.fields?.filter((f) => f.name.value !== "helpCategories") } : undefined),
    });
    const removedEnumValue = edited(released, {
      EnumTypeDefinition: (node) => (node.name.value === "Urgency" ? { ...node, values: node.values?.filter((v) => v.name.value !== "URGENT") } : undefined),
    });
    const requiredArgument = edited(released, {
      ObjectTypeDefinition: (node) =>
        node.name.value === "Query"
          ? {
              ...node,
              fields: node.fields?.map((f) =>
                f.name.value === "helpCategories"
                  ? {
                      ...f,
                      arguments: [
                        {
                          kind: Kind.INPUT_VALUE_DEFINITION,
                          name: { kind: Kind.NAME, value: "language" },
                          type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: "String" } } },
                        },
                      ],
                    }
                  : f,
              ),
            }
          : undefined,
    });
    const nullableNow = edited(released, {
      ObjectTypeDefinition: (node) =>
        node.name.value === "Query"
          ? { ...node, fields: node.fields?.map((f) => (f.name.value === "helpCategories" && f.type.kind === Kind.NON_NULL_TYPE ? { ...f, type: f.type.type } : f)) }
          : undefined,
    });
    for (const [what, sdl, path] of [
      ["removed field", removedField, "Query.helpCategories"],
      ["removed enum value", removedEnumValue, "Urgency.URGENT"],
      ["new required argument", requiredArgument, "Query.helpCategories.language"],
      ["output type made nullable", nullableNow, "Query.helpCategories"],
    ] as const) {
      const { breaking } = await compareSchemas(released, sdl);
      expect(
        breaking.map((c) => c.path),
        what,
      ).toContain(path);
    }
    const added = edited(released, {
      ObjectTypeDefinition: (node) =>
        node.name.value === "Query"
          ? {
              ...node,
              fields: [
                ...(node.fields ?? []),
                { kind: Kind.FIELD_DEFINITION, name: { kind: Kind.NAME, value: "contractProbe" }, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: "String" } } },
              ],
            }
          : undefined,
    });
    const addition = await compareSchemas(released, added);
    expect(addition.breaking).toEqual([]);
    expect(addition.safe.map((c) => c.path)).toContain("Query.contractProbe");
  });

  it("`npm run schema:check` passes on the repository and fails, naming the change, against a release the code breaks", () => {
    const run = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "schema/check.ts", ...args], { cwd: root, encoding: "utf8", timeout: 60_000 });
    const ok = run([]);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/0 breaking/);

    const dir = mkdtempSync(join(tmpdir(), "zorgzaam-schema-"));
    try {
      const future = edited(released, {
        ObjectTypeDefinition: (node) =>
          node.name.value === "Query"
            ? {
                ...node,
                fields: [
                  ...(node.fields ?? []),
                  {
                    kind: Kind.FIELD_DEFINITION,
                    name: { kind: Kind.NAME, value: "removedSinceRelease" },
                    type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: "String" } },
                  },
                ],
              }
            : undefined,
      });
      writeFileSync(join(dir, "released.graphql"), future);
      const broken = run(["--released", join(dir, "released.graphql")]);
      expect(broken.status).toBe(1);
      expect(broken.stdout).toMatch(/BREAKING\s+Query\.removedSinceRelease/);
      expect(broken.stderr).toMatch(/Breaking changes against the released schema/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
