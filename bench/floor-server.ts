/**
 * The FLOOR for the browse benchmark: a bare node:http server that answers the Browse query with
 * byte-for-byte the response the real server gives, doing only what the answer needs. It checks the
 * bearer token (HS256, cached per token like the server), the VOLUNTEER role (cached 30 s like the
 * server), reads the volunteer's profile, runs one prepared browse statement and writes the JSON.
 * No GraphQL, no ORM, no framework: what is left is the SQLite and node:http cost of the answer.
 *
 * It serves this one query only (anything else: 400). Env: DATABASE_URL, PORT, HOST, JWT_SECRET, and
 * FLOOR_INDEX: the index the browse statement is read on, as the server reads it (default
 * help_requests_open_newest_idx); "none" leaves the plan to SQLite (a what-if, reported apart).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import BetterSqlite3 from "better-sqlite3";
import { jwtVerify } from "jose";
import { BROWSE_QUERY } from "./lib/queries.js";

const file = process.env.DATABASE_URL!;
const secret = new TextEncoder().encode(process.env.JWT_SECRET!);
const PAGE = 20;
const index = process.env.FLOOR_INDEX ?? "help_requests_open_newest_idx";
const forcedIndex = index === "none" ? "" : ` indexed by "${index.replace(/"/g, "")}"`;
const ROLE_CACHE_MS = 30_000;

const db = new BetterSqlite3(file);
db.pragma("busy_timeout = 5000");

const categories = new Map((db.prepare("select id, name from help_categories").all() as { id: string; name: string }[]).map((c) => [c.id, { id: c.id, name: c.name }]));
const neighbourhoods = new Map((db.prepare("select id, name from neighbourhoods").all() as { id: string; name: string }[]).map((n) => [n.id, { id: n.id, name: n.name }]));

const personExists = db.prepare("select 1 from people where id = ?").pluck();
const rolesOf = db.prepare("select role from person_roles where person_id = ?").pluck();
const vogOf = db.prepare("select vog_status from volunteer_profiles where person_id = ?").pluck();
const categoriesOf = db.prepare("select category_id from volunteer_categories where person_id = ?").pluck();
const neighbourhoodsOf = db.prepare("select neighbourhood_id from volunteer_neighbourhoods where person_id = ?").pluck();

type BrowseRow = [
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
const browseStatements = new Map<string, BetterSqlite3.Statement>();
function browseStatement(nNb: number, nCat: number, vogVerified: boolean) {
  const key = `${nNb}:${nCat}:${vogVerified}`;
  let st = browseStatements.get(key);
  if (!st) {
    const list = (n: number) => new Array(n).fill("?").join(", ");
    st = db
      .prepare(
        `select hr.id, hr.title, hr.urgency, hr.window_start, hr.window_end, hr.category_id, hr.neighbourhood_id, p.first_name, hr.created_at
         from help_requests hr${forcedIndex} join people p on p.id = hr.person_helped_id
         where hr.status = 'OPEN' and hr.neighbourhood_id in (${list(nNb)}) and hr.category_id in (${list(nCat)})
           and hr.window_end > ? and hr.asked_by_id <> ? and hr.person_helped_id <> ?${vogVerified ? "" : " and hr.vog_required = 0"}
         order by hr.created_at desc, hr.id desc limit ${PAGE + 1}`,
      )
      .raw();
    browseStatements.set(key, st);
  }
  return st;
}

const tokens = new Map<string, { personId: string; expiresAt: number }>();
const roles = new Map<string, { volunteer: boolean; until: number }>();

class Reject extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

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

function browse(personId: string): string {
  const nbs = neighbourhoodsOf.all(personId) as string[];
  const cats = categoriesOf.all(personId) as string[];
  const vogVerified = vogOf.get(personId) === "VERIFIED";
  let rows: BrowseRow[] = [];
  if (nbs.length && cats.length) {
    rows = browseStatement(nbs.length, cats.length, vogVerified).all(...nbs, ...cats, Date.now(), personId, personId) as BrowseRow[];
  }
  const n = Math.min(rows.length, PAGE);
  const edges = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    edges[i] = {
      // The app's cursor names its list (newest open requests, no filter) before the sort key, so the
      // floor writes the same bytes.
      cursor: Buffer.from(`HelpRequest.open.NEWEST~${r[8]}:${r[0]}`, "utf8").toString("base64url"),
      node: {
        id: r[0],
        title: r[1],
        urgency: r[2],
        windowStart: new Date(r[3]).toISOString(),
        windowEnd: new Date(r[4]).toISOString(),
        category: categories.get(r[5]),
        neighbourhood: neighbourhoods.get(r[6]),
        personHelped: { firstName: r[7] },
      },
    };
  }
  return `${JSON.stringify({
    data: {
      openHelpRequests: {
        edges,
        pageInfo: { hasNextPage: rows.length > PAGE, endCursor: n ? edges[n - 1].cursor : null },
      },
    },
  })}\n`;
}

function send(res: ServerResponse, status: number, body: string) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  if (req.url === "/healthz") return send(res, 200, '{"status":"ok"}');
  if (req.method !== "POST" || req.url !== "/graphql") return send(res, 404, '{"errors":[{"message":"not found"}]}');
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let query: unknown;
    try {
      query = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query?: unknown }).query;
    } catch {
      return send(res, 400, '{"errors":[{"message":"bad json"}]}');
    }
    if (query !== BROWSE_QUERY) return send(res, 400, '{"errors":[{"message":"the floor answers the Browse query only"}]}');
    viewer(req.headers.authorization).then(
      (personId) => send(res, 200, browse(personId)),
      (err: unknown) => {
        if (err instanceof Reject) return send(res, err.status, `{"errors":[{"message":"${err.code}","extensions":{"code":"${err.code}"}}]}`);
        send(res, 500, '{"errors":[{"message":"internal"}]}');
      },
    );
  });
});
server.listen(Number(process.env.PORT ?? 4100), process.env.HOST ?? "127.0.0.1");
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
