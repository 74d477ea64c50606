import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The shape of the tree, read from its imports (decision 26): only the composition root names every
 * module, the seams name none, nothing imports itself round a circle, and a module's files stay small
 * enough to read.
 */
const root = resolve(__dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** The project files a file imports (type-only imports too: they tie the files together just the same). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
  return found.map((spec) => resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
}

const files = [...sources(join(root, "src")), ...sources(join(root, "seeds"))];
const graph = new Map(files.map((f) => [f, importsOf(f).filter((target) => target !== f)]));
const rel = (f: string) => relative(root, f);

describe("the architecture, read from the imports", () => {
  it("src/graphql, src/db and src/shared import no module and not the composition root", () => {
    const seams = files.filter((f) => /^src\/(graphql|db|shared)\//.test(rel(f)));
    const offending = seams.flatMap((f) =>
      graph
        .get(f)!
        .filter((t) => /^src\/(modules\/|app[.\w]*\.ts$)/.test(rel(t)))
        .map((t) => `${rel(f)} -> ${rel(t)}`),
    );
    expect(offending).toEqual([]);
  });

  it("no module imports the composition root", () => {
    const offending = files
      .filter((f) => rel(f).startsWith("src/modules/"))
      .flatMap((f) =>
        graph
          .get(f)!
          .filter((t) => /^src\/app[.\w]*\.ts$/.test(rel(t)))
          .map((t) => `${rel(f)} -> ${rel(t)}`),
      );
    expect(offending).toEqual([]);
  });

  it("has no import circle in src/ and seeds/", () => {
    const state = new Map<string, "open" | "done">();
    const circles: string[] = [];
    const visit = (file: string, path: string[]) => {
      state.set(file, "open");
      for (const next of graph.get(file) ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === "open") circles.push([...path.slice(path.indexOf(next)), next].map(rel).join(" -> "));
        else if (!state.has(next)) visit(next, [...path, next]);
      }
      state.set(file, "done");
    };
    for (const file of files) if (!state.has(file)) visit(file, [file]);
    expect(circles).toEqual([]);
  });

  it("keeps every file of src/modules under 400 lines", () => {
    const long = files
      .filter((f) => rel(f).startsWith("src/modules/"))
      .map((f) => ({ file: rel(f), lines: readFileSync(f, "utf8").split("\n").length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });

  it("finds the imports it checks (the scan itself works)", () => {
    const app = graph.get(join(root, "src/app.schema.ts"))!;
    expect(app.some((t) => rel(t).startsWith("src/modules/"))).toBe(true);
  });
});
