/**
 * Initiative text search, before (LIKE %word% on the normalised text, with the CASE/LIKE ranking the
 * discovery used until the full-text index) and after (FTS5 prefix query ranked by bm25, the SQL of
 * initiative-text-search.repository.ts), on SQLite. The data: as many initiatives as the city has
 * (bench/generate.ts: 10 neighbourhoods, two to four a month for two years, the same titles) and a
 * hundred times as many, to show how each grows. The query is the discovery's text part on published
 * rows, first page (21 rows), ranked; the other filters and the GraphQL path are left out.
 *
 *   npx tsx bench/search.ts [--repeat 200]   (the committed figures: --repeat 20)
 *
 * Writes bench/results/search.json and bench/results/search.md.
 */
import "reflect-metadata";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { defineTables } from "../src/app.tables.js";
import { openDatabase } from "../src/db/client.js";
import { normaliseText, searchTerms } from "../src/modules/initiatives/initiative.search.js";
import { BENCH_DIR, INITIATIVE_TITLES } from "./generate.js";
import { Prng } from "./lib/prng.js";
import { STREETS } from "./lib/words.js";

const QUERIES = ["taal", "koffie", "samen wandelen", "cafe", "repair", "bestaatniet"];
const NEIGHBOURHOODS = ["Binnenstad", "Oud-Krispijn", "Nieuw-Krispijn", "Wielwijk", "Crabbehof", "Sterrenburg", "Stadspolder", "Dubbeldam", "Reeland", "Noordflank"];
const repeat = Number(process.argv[process.argv.indexOf("--repeat") + 1] || 0) || 200;

function likeSql(terms: string[]) {
  const conds = terms.map(() => "search_text like ?").join(" and ");
  const rank = terms
    .map(
      () =>
        "(case when search_title like ? then 3 else 0 end + case when search_title like ? or search_title like ? then 2 else 0 end + case when search_text like ? then 1 else 0 end)",
    )
    .join(" + ");
  const sql = `select id, (${rank}) as score from initiatives where status = 'PUBLISHED' and ${conds} order by score desc, id limit 21`;
  const params = [...terms.flatMap((w) => [`%${w}%`, `${w}%`, `% ${w}%`, `%${w}%`]), ...terms.map((w) => `%${w}%`)];
  return { sql, params };
}

function ftsSql(terms: string[]) {
  const match = terms.map((w) => `"${w}"*`).join(" ");
  const sql = `select id, initiative_match.score from initiatives
    inner join (select rowid as rid, cast(round(-bm25(initiative_search, 3.0, 1.0) * 1000000) as integer) as score from initiative_search where initiative_search match ?) as initiative_match
      on initiative_match.rid = initiatives.rowid
    where status = 'PUBLISHED' order by initiative_match.score desc, id limit 21`;
  return { sql, params: [match] };
}

async function build(file: string, count: number) {
  const app = openDatabase(file, { tables: defineTables });
  await app.migrate();
  await app.close();
  const db = new BetterSqlite3(file);
  db.pragma("foreign_keys = OFF");
  const r = new Prng(`zorgzaam-bench:search:${count}`);
  const kinds = Object.keys(INITIATIVE_TITLES) as (keyof typeof INITIATIVE_TITLES)[];
  const ins = db.prepare(
    `insert into initiatives (id, organisation_id, kind, status, title, description, neighbourhood_id, address, taken_count, waitlist_count, last_position,
       search_title, search_text, published_at, created_by_id, created_at, updated_at) values (?, 'org', ?, ?, ?, ?, 'nb', ?, 0, 0, 0, ?, ?, 0, 'p', 0, 0)`,
  );
  db.transaction(() => {
    for (let n = 0; n < count; n++) {
      const kind = r.pick(kinds);
      const title = r.pick(INITIATIVE_TITLES[kind]);
      const nb = r.pick(NEIGHBOURHOODS);
      const description = `${title} in ${nb}. Iedereen is welkom.`;
      const address = `${r.pick(STREETS)} ${r.int(1, 200)}`;
      ins.run(
        r.id("ini"),
        kind,
        r.chance(0.8) ? "PUBLISHED" : "ENDED",
        title,
        description,
        address,
        normaliseText(title),
        normaliseText([title, description, address, nb, kind].join(" ")),
      );
    }
  })();
  db.pragma("optimize");
  return db;
}

function time(db: BetterSqlite3.Database, q: { sql: string; params: string[] }) {
  const stmt = db.prepare(q.sql);
  let rows = stmt.all(...q.params).length;
  const ms: number[] = [];
  for (let k = 0; k < repeat; k++) {
    const t0 = process.hrtime.bigint();
    rows = stmt.all(...q.params).length;
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { rows, p50: Math.round(ms[Math.floor(ms.length / 2)] * 1000) / 1000, p95: Math.round(ms[Math.floor(ms.length * 0.95)] * 1000) / 1000 };
}

const dir = mkdtempSync(join(tmpdir(), "zorgzaam-search-"));
const results = [];
try {
  for (const [size, count] of [
    ["city", 780],
    ["city x100", 78_000],
  ] as const) {
    const db = await build(join(dir, `${count}.sqlite`), count);
    for (const text of QUERIES) {
      const terms = searchTerms(text);
      results.push({ size, initiatives: count, text, like: time(db, likeSql(terms)), fts: time(db, ftsSql(terms)) });
    }
    db.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const lines = [
  "# Initiative text search: LIKE before, FTS5 after (SQLite)",
  "",
  `\`npx tsx bench/search.ts --repeat ${repeat}\` on ${new Date().toISOString().slice(0, 10)}; milliseconds per query (first page of 21, ranked), median and p95 of ${repeat} runs.`,
  "Rows: how many the page returned (LIKE also finds words that merely contain the text, e.g. taal in 'Digitaal').",
  "",
  "| data | initiatives | text | LIKE p50 | LIKE p95 | LIKE rows | FTS5 p50 | FTS5 p95 | FTS5 rows |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...results.map((x) => `| ${x.size} | ${x.initiatives} | ${x.text} | ${x.like.p50} | ${x.like.p95} | ${x.like.rows} | ${x.fts.p50} | ${x.fts.p95} | ${x.fts.rows} |`),
  "",
];
writeFileSync(resolve(BENCH_DIR, "results/search.json"), JSON.stringify({ repeat, results }, null, 2) + "\n");
writeFileSync(resolve(BENCH_DIR, "results/search.md"), lines.join("\n"));
console.log(lines.join("\n"));
