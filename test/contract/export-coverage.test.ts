import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { afterAll, describe, expect, it } from "vitest";
import { personalDataExporters } from "../../src/app.exports.js";
import { defineTables } from "../../src/app.tables.js";
import { openDatabase } from "../../src/db/client.js";
import { sqliteKit } from "../../src/db/kit.js";
import { EXPORT_EXCLUSIONS } from "../../src/modules/data-rights/data-export.exclusions.js";

/**
 * Every table that holds personal data is in a person's data export (GDPR art. 15 and 20), or is
 * excluded on purpose with a reason. Read from the tables themselves: a column holds personal data
 * when it points at a person (a foreign key to people, or a name that says so: person, subject,
 * reader, recipient, assignee, ...`_by_id`) or holds a name, e-mail address, phone number, address or
 * birth date. A module that adds such a table and forgets its exporter fails here.
 */
const PERSONAL_COLUMN =
  /(^|_)(person|people|subject|reader|recipient|assignee|participant|volunteer|actor|principal|receiver|member)(_id)?$|_by_id$|^(from|to)_id$|(^|_)(first_name|last_name|email|phone|address|birth_date|password_hash)$/;

const tables = defineTables(sqliteKit);

/** The columns of each table that hold personal data, by the table's key in src/app.tables.ts. */
function personalColumns(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, table] of Object.entries(tables)) {
    const config = getTableConfig(table as SQLiteTable);
    const toPeople = new Set(config.foreignKeys.flatMap((fk) => (getTableConfig(fk.reference().foreignTable).name === "people" ? fk.reference().columns.map((c) => c.name) : [])));
    const columns = config.columns.map((c) => c.name).filter((name) => toPeople.has(name) || PERSONAL_COLUMN.test(name));
    if (columns.length) out.set(key, columns);
  }
  return out;
}

describe("the data export covers every table that holds personal data", () => {
  const dir = mkdtempSync(join(tmpdir(), "zorgzaam-export-coverage-"));
  const db = openDatabase(join(dir, "coverage.sqlite"), { tables: defineTables });
  const exporters = personalDataExporters(db);
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds the personal tables it should (the detection itself works)", () => {
    const found = personalColumns();
    expect(found.get("people")).toEqual(expect.arrayContaining(["id", "first_name", "email", "phone", "address", "birth_date"].filter((c) => c !== "id")));
    expect(found.get("careCheckins")).toContain("person_id");
    expect(found.get("accessLog")).toEqual(expect.arrayContaining(["reader_id", "subject_id"]));
    expect(found.has("helpCategories")).toBe(false);
    expect(found.has("areas")).toBe(false);
  });

  it("each table holding personal data is covered by an exporter or excluded with a reason", () => {
    const covered = new Set(exporters.flatMap((e) => e.tables));
    const missing = [...personalColumns()].filter(([key]) => !covered.has(key) && !(key in EXPORT_EXCLUSIONS)).map(([key, columns]) => `${key} (${columns.join(", ")})`);
    expect(missing, "tables with personal data that no exporter covers and no exclusion explains").toEqual([]);
  });

  it("exporters and exclusions name real tables, once each, and every exclusion gives a reason", () => {
    const names = Object.keys(tables);
    const claimed = exporters.flatMap((e) => e.tables.map((table) => `${table} <- ${e.section}`));
    expect(claimed.filter((c) => !names.includes(c.split(" <- ")[0]))).toEqual([]);
    const all = [...exporters.flatMap((e) => e.tables), ...Object.keys(EXPORT_EXCLUSIONS)];
    expect(
      all.filter((table, i) => all.indexOf(table) !== i),
      "a table is covered twice, or both covered and excluded",
    ).toEqual([]);
    expect(Object.keys(EXPORT_EXCLUSIONS).filter((t) => !names.includes(t))).toEqual([]);
    for (const [table, reason] of Object.entries(EXPORT_EXCLUSIONS)) expect(reason.length, `the reason ${table} is excluded`).toBeGreaterThan(20);
  });

  it("each exporter has a section of its own", () => {
    const sections = exporters.map((e) => e.section);
    expect(new Set(sections).size).toBe(sections.length);
  });
});
