import { readFileSync, readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * Every reason the server declares is listed in docs/error-codes.md and named in the title of a test
 * that proves it (STYLE.md, habit 6). Reasons are read from what the code declares, not from a list
 * kept here: every `errors.ts` or `<module>.errors.ts` under src/ is imported, and each exported
 * `defineReasons` table (an object whose keys equal their string values) counts. A module that adds
 * an errors file is checked without a change to this test.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));

const files = (dir: string, keep: (path: string) => boolean): string[] =>
  readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .map((path) => join(root, dir, path))
    .filter(keep)
    .sort();

const errorsFiles = files("src", (path) => basename(path) === "errors.ts" || path.endsWith(".errors.ts"));

/** A `defineReasons` table: a non-empty object whose every key is its own value. */
const isReasonTable = (value: unknown): value is Record<string, string> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0 && Object.entries(value).every(([key, name]) => key === name);

/** Reasons by name, each with the files that declare it. */
async function declaredReasons(): Promise<Map<string, string[]>> {
  const reasons = new Map<string, string[]>();
  for (const file of errorsFiles) {
    const exports: Record<string, unknown> = await import(pathToFileURL(file).href);
    const tables = Object.values(exports).filter(isReasonTable);
    // A file that calls defineReasons but exports no table the reader recognises would be skipped silently.
    if (readFileSync(file, "utf8").includes("defineReasons([")) expect(tables.length, `${relative(root, file)} exports its defineReasons table`).toBeGreaterThan(0);
    for (const table of tables) {
      for (const name of Object.values(table)) reasons.set(name, [...(reasons.get(name) ?? []), relative(root, file)]);
    }
  }
  return reasons;
}

/** The names in the first column of the Reasons table of docs/error-codes.md. */
function documentedReasons(): Set<string> {
  const doc = readFileSync(join(root, "docs/error-codes.md"), "utf8");
  const section = doc.slice(doc.indexOf("\n## Reasons"), doc.indexOf("\n## ", doc.indexOf("\n## Reasons") + 1));
  const names = new Set<string>();
  for (const line of section.split("\n")) {
    const first = /^\|([^|]*)\|/.exec(line)?.[1] ?? "";
    for (const m of first.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]);
  }
  return names;
}

/** The titles of every `it(...)` and `test(...)` under test/ (skipped and todo tests prove nothing). */
function testTitles(): string[] {
  const titles: string[] = [];
  const call = /\b(?:it|test)(?:\.(?:only|concurrent|sequential))?\(\s*(["'`])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const file of files("test", (path) => path.endsWith(".ts"))) {
    for (const m of readFileSync(file, "utf8").matchAll(call)) titles.push(m[2]);
  }
  return titles;
}

describe("error reasons", () => {
  let reasons: Map<string, string[]>;
  beforeAll(async () => {
    reasons = await declaredReasons();
  });

  it("finds the reasons declared next to the registry and in the modules' errors files", () => {
    expect(errorsFiles.map((file) => relative(root, file))).toContain(join("src", "shared", "errors.ts"));
    expect(reasons.get("UNAUTHENTICATED")).toEqual([join("src", "shared", "errors.ts")]);
    expect(reasons.size).toBeGreaterThan(20);
  });

  it("lists every declared reason in docs/error-codes.md", () => {
    const documented = documentedReasons();
    const missing = [...reasons.keys()].filter((name) => !documented.has(name)).map((name) => `${name} (${reasons.get(name)!.join(", ")})`);
    expect(missing).toEqual([]);
  });

  it("names every declared reason in the title of a test that proves it", () => {
    const titles = testTitles();
    const untested = [...reasons.keys()].filter((name) => !titles.some((title) => new RegExp(`\\b${name}\\b`).test(title)));
    expect(untested).toEqual([]);
  });
});
