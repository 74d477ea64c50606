/**
 * What the browse floor and its peers read, so all of them do the same SQL work: the bearer token
 * checked (HS256, cached per token like the server), the VOLUNTEER role (cached 30 s like the
 * server), the volunteer's neighbourhoods, categories and VOG (three prepared statements) and one
 * prepared browse statement (the repository's predicates and order, on the same index of open
 * requests, only the needed columns). Categories and neighbourhoods are read once, at start.
 */
import BetterSqlite3 from "better-sqlite3";
import { jwtVerify } from "jose";

export type BrowseRow = [
  id: string,
  title: string,
  urgency: string,
  windowStart: number,
  windowEnd: number,
  categoryId: string,
  neighbourhoodId: string,
  firstName: string,
  createdAt: number,
];

export interface Named {
  id: string;
  name: string;
}

/** A request refused before any GraphQL: the status and the code the server gives. */
export class Reject extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

const ROLE_CACHE_MS = 30_000;

/** The app's cursor names its list (newest open requests, no filter) before the sort key. */
export const cursorOf = (row: BrowseRow) => Buffer.from(`HelpRequest.open.NEWEST~${row[8]}:${row[0]}`, "utf8").toString("base64url");

/**
 * `index`: the index the browse statement is read on, as the server reads it (default
 * help_requests_open_newest_idx); "none" leaves the plan to SQLite.
 */
export function openBrowseSource(file: string, jwtSecret: string, index = "help_requests_open_newest_idx") {
  const secret = new TextEncoder().encode(jwtSecret);
  const forcedIndex = index === "none" ? "" : ` indexed by "${index.replace(/"/g, "")}"`;
  const db = new BetterSqlite3(file);
  db.pragma("busy_timeout = 5000");

  const categories = new Map((db.prepare("select id, name from help_categories").all() as Named[]).map((c) => [c.id, { id: c.id, name: c.name }]));
  const neighbourhoods = new Map((db.prepare("select id, name from neighbourhoods").all() as Named[]).map((n) => [n.id, { id: n.id, name: n.name }]));

  const personExists = db.prepare("select 1 from people where id = ?").pluck();
  const rolesOf = db.prepare("select role from person_roles where person_id = ?").pluck();
  const vogOf = db.prepare("select vog_status from volunteer_profiles where person_id = ?").pluck();
  const categoriesOf = db.prepare("select category_id from volunteer_categories where person_id = ?").pluck();
  const neighbourhoodsOf = db.prepare("select neighbourhood_id from volunteer_neighbourhoods where person_id = ?").pluck();

  const browseStatements = new Map<string, BetterSqlite3.Statement>();
  function browseStatement(nNb: number, nCat: number, vogVerified: boolean, limit: number) {
    const key = `${nNb}:${nCat}:${vogVerified}:${limit}`;
    let st = browseStatements.get(key);
    if (!st) {
      const list = (n: number) => new Array(n).fill("?").join(", ");
      st = db
        .prepare(
          `select hr.id, hr.title, hr.urgency, hr.window_start, hr.window_end, hr.category_id, hr.neighbourhood_id, p.first_name, hr.created_at
           from help_requests hr${forcedIndex} join people p on p.id = hr.person_helped_id
           where hr.status = 'OPEN' and hr.neighbourhood_id in (${list(nNb)}) and hr.category_id in (${list(nCat)})
             and hr.window_end > ? and hr.asked_by_id <> ? and hr.person_helped_id <> ?${vogVerified ? "" : " and hr.vog_required = 0"}
           order by hr.created_at desc, hr.id desc limit ${limit}`,
        )
        .raw();
      browseStatements.set(key, st);
    }
    return st;
  }

  const tokens = new Map<string, { personId: string; expiresAt: number }>();
  const roles = new Map<string, { volunteer: boolean; until: number }>();

  /** The volunteer the `Authorization` header names; throws a Reject otherwise. */
  async function viewer(authorization: string | undefined): Promise<string> {
    const m = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!m) throw new Reject(401, "UNAUTHENTICATED");
    const token = m[1];
    let claims = tokens.get(token);
    if (!claims) {
      try {
        const { payload } = await jwtVerify(token, secret, { issuer: "zorgzaam", algorithms: ["HS256"] });
        claims = { personId: String(payload.sub), expiresAt: Number(payload.exp) * 1000 };
      } catch {
        throw new Reject(401, "UNAUTHENTICATED");
      }
      if (tokens.size >= 10_000) tokens.clear();
      tokens.set(token, claims);
    }
    const now = Date.now();
    if (claims.expiresAt <= now) throw new Reject(401, "UNAUTHENTICATED");
    let entry = roles.get(claims.personId);
    if (!entry || entry.until <= now) {
      if (!personExists.get(claims.personId)) throw new Reject(401, "UNAUTHENTICATED");
      entry = { volunteer: (rolesOf.all(claims.personId) as string[]).includes("VOLUNTEER"), until: now + ROLE_CACHE_MS };
      roles.set(claims.personId, entry);
    }
    if (!entry.volunteer) throw new Reject(403, "FORBIDDEN");
    return claims.personId;
  }

  /** The newest open requests that fit the volunteer: up to `limit` rows (a page and one more). */
  function browseRows(personId: string, limit: number): BrowseRow[] {
    const nbs = neighbourhoodsOf.all(personId) as string[];
    const cats = categoriesOf.all(personId) as string[];
    const vogVerified = vogOf.get(personId) === "VERIFIED";
    if (!nbs.length || !cats.length) return [];
    return browseStatement(nbs.length, cats.length, vogVerified, limit).all(...nbs, ...cats, Date.now(), personId, personId) as BrowseRow[];
  }

  return { viewer, browseRows, categories, neighbourhoods };
}
