import { readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildSchema, isEnumType } from "graphql";
import { IntlMessageFormat } from "intl-messageformat";
import { beforeAll, describe, expect, it } from "vitest";
import { LABELS, type LabelCatalogue } from "../../src/graphql/labels.js";
import { CATALOGUES, keysOf } from "../../src/modules/notifications/notification.i18n.js";
import { registeredDutchMessages } from "../../src/shared/i18n.js";
import { type ScanResult, scanThrownMessages } from "../support/thrown-messages.js";

/**
 * Dutch and English everywhere a person reads text: every error message a client can receive, every
 * label of a public enum and every notification message exists in both languages, with the same ICU
 * placeholders. Error messages are keyed by their English template (what the throw site writes), so
 * "a key in one language only" is a template thrown without a Dutch wording, or a Dutch wording no
 * code throws any more. A module that adds an errors file or an enum is checked without a change here.
 */
const root = fileURLToPath(new URL("../..", import.meta.url));

/** Keys of `a` missing in `b`. */
const oneSided = (a: Iterable<string>, b: Iterable<string>): string[] => {
  const other = new Set(b);
  return [...a].filter((k) => !other.has(k)).sort();
};

/** The argument names of an ICU message (`{field}`, `{n, plural, ...}`, nested ones too), sorted. */
function argumentsOf(text: string, locale: string): string[] {
  const names = new Set<string>();
  const walk = (elements: ReturnType<IntlMessageFormat["getAst"]>) => {
    for (const el of elements) {
      if ("value" in el && el.type !== 0 && typeof el.value === "string") names.add(el.value);
      if ("options" in el) for (const option of Object.values(el.options as Record<string, { value: typeof elements }>)) walk(option.value);
      if ("children" in el) walk(el.children as typeof elements);
    }
  };
  // Tags (`<b>`) mean nothing in our messages: `Bearer <token>` is text, as i18next-icu reads it.
  walk(new IntlMessageFormat(text, locale, undefined, { ignoreTag: true }).getAst());
  return [...names].sort();
}

const labelKeys = (catalogue: LabelCatalogue): string[] => Object.entries(catalogue).flatMap(([name, values]) => Object.keys(values).map((value) => `${name}.${value}`));

describe("i18n parity", () => {
  let scan: ScanResult;
  let dutch: ReadonlyMap<string, string>;
  beforeAll(async () => {
    // Every errors file registers its module's Dutch wordings when it is loaded.
    for (const path of readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" })) {
      if (basename(path) === "errors.ts" || path.endsWith(".errors.ts")) await import(pathToFileURL(join(root, "src", path)).href);
    }
    scan = scanThrownMessages(root);
    dutch = registeredDutchMessages();
  });

  it("finds the messages the code throws (the scanner reads what it should)", () => {
    const templates = new Set(scan.messages.map((m) => m.template));
    expect(templates.size).toBeGreaterThan(200);
    for (const known of ["ids: at most {max} at once", "No help request with this id is visible to you.", "must not be empty", "Log in first: send a valid bearer token."]) {
      expect(templates, known).toContain(known);
    }
  });

  it("error messages are built from templates with parameters, never from template strings", () => {
    expect(scan.interpolated.map((m) => `${m.file}:${m.line}: ${m.template}`)).toEqual([]);
  });

  it("every error message a client can receive has a Dutch wording (an English-only message fails)", () => {
    const missing = scan.messages.filter((m) => !dutch.has(m.template)).map((m) => `${m.file}:${m.line}: ${JSON.stringify(m.template)}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it("every Dutch error wording belongs to a message the code still throws (a Dutch-only key fails)", () => {
    expect(oneSided(dutch.keys(), new Set(scan.messages.map((m) => m.template)))).toEqual([]);
  });

  it("error messages carry the same ICU placeholders in English and Dutch, and both parse", () => {
    const differ: string[] = [];
    for (const [english, nl] of dutch) {
      const en = argumentsOf(english, "en");
      if (JSON.stringify(en) !== JSON.stringify(argumentsOf(nl, "nl"))) differ.push(english);
    }
    expect(differ).toEqual([]);
  });

  it("a message two modules give has one Dutch wording", () => {
    const wordings = new Map<string, Set<string>>();
    for (const path of readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" }).filter((p) => p.endsWith("errors.ts"))) {
      const text = readFileSync(join(root, "src", path), "utf8");
      const start = text.indexOf("dutchMessages({");
      if (start < 0) continue;
      const block = text.slice(start, text.indexOf("\n});", start));
      for (const m of block.matchAll(/("(?:\\.|[^"\\])*")\s*:\s*("(?:\\.|[^"\\])*"),/g)) {
        const [english, nl] = [JSON.parse(m[1]) as string, JSON.parse(m[2]) as string];
        wordings.set(english, (wordings.get(english) ?? new Set()).add(nl));
      }
    }
    expect([...wordings].filter(([, set]) => set.size > 1).map(([english]) => english)).toEqual([]);
    expect(wordings.size).toBe(dutch.size);
  });

  it("every enum value of the public schema has a label in Dutch and in English", () => {
    const schema = buildSchema(readFileSync(join(root, "schema/schema.graphql"), "utf8"));
    const values = Object.values(schema.getTypeMap())
      .filter((type) => isEnumType(type) && !type.name.startsWith("__"))
      .flatMap((type) => (isEnumType(type) ? type.getValues().map((v) => `${type.name}.${v.name}`) : []));
    expect(values.length).toBeGreaterThan(150);
    for (const [language, catalogue] of Object.entries(LABELS)) {
      expect(oneSided(values, labelKeys(catalogue)), `values without a label in ${language}`).toEqual([]);
      expect(oneSided(labelKeys(catalogue), values), `labels in ${language} of values the schema does not have`).toEqual([]);
      for (const [key, label] of Object.entries(catalogue).flatMap(([name, v]) => Object.entries(v).map(([value, text]) => [`${name}.${value}`, text] as const))) {
        expect(label.trim(), `${language} ${key}`).not.toBe("");
      }
    }
  });

  it("enum labels exist in both languages (a label in one language only fails)", () => {
    expect(oneSided(labelKeys(LABELS.nl), labelKeys(LABELS.en))).toEqual([]);
    expect(oneSided(labelKeys(LABELS.en), labelKeys(LABELS.nl))).toEqual([]);
  });

  it("notification messages exist in both languages with the same placeholders", () => {
    expect(oneSided(keysOf(CATALOGUES.nl), keysOf(CATALOGUES.en))).toEqual([]);
    expect(oneSided(keysOf(CATALOGUES.en), keysOf(CATALOGUES.nl))).toEqual([]);
    const text = (catalogue: (typeof CATALOGUES)["nl"], key: string) =>
      key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], catalogue) as string;
    const differ = keysOf(CATALOGUES.nl).filter(
      (key) => JSON.stringify(argumentsOf(text(CATALOGUES.nl, key), "nl")) !== JSON.stringify(argumentsOf(text(CATALOGUES.en, key), "en")),
    );
    expect(differ).toEqual([]);
  });

  it("the checks notice a key in one language only and a placeholder that differs", () => {
    expect(oneSided(["A.X", "A.Y"], ["A.X"])).toEqual(["A.Y"]);
    expect(labelKeys({ Urgency: { LOW: "Low", HIGH: "High" } })).toEqual(["Urgency.LOW", "Urgency.HIGH"]);
    expect(argumentsOf("{field}: at most {max, plural, one {# day} other {# days}}", "en")).toEqual(["field", "max"]);
    expect(argumentsOf("{trigger, select, FLAGGED {a {x}} other {b}}", "en")).toEqual(["trigger", "x"]);
  });
});
