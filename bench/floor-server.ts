/**
 * The FLOOR for the browse benchmark: a bare node:http server that answers the Browse query with
 * byte-for-byte the response the real server gives, doing only what the answer needs. It checks the
 * bearer token (HS256, cached per token like the server), the VOLUNTEER role (cached 30 s like the
 * server), reads the volunteer's profile, runs one prepared browse statement (bench/lib/browse-source.ts, which
 * the peers in bench/peers/ share) and writes the JSON.
 * No GraphQL, no ORM, no framework: what is left is the SQLite and node:http cost of the answer.
 *
 * It serves this one query only (anything else: 400). Env: DATABASE_URL, PORT, HOST, JWT_SECRET, and
 * FLOOR_INDEX: the index the browse statement is read on, as the server reads it (default
 * help_requests_open_newest_idx); "none" leaves the plan to SQLite (a what-if, reported apart).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { BROWSE_QUERY } from "./lib/queries.js";
import { Reject, cursorOf, openBrowseSource } from "./lib/browse-source.js";

const PAGE = 20;
const { viewer, browseRows, categories, neighbourhoods } = openBrowseSource(process.env.DATABASE_URL!, process.env.JWT_SECRET!, process.env.FLOOR_INDEX);

function browse(personId: string): string {
  const rows = browseRows(personId, PAGE + 1);
  const n = Math.min(rows.length, PAGE);
  const edges = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    edges[i] = {
      cursor: cursorOf(r),
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
