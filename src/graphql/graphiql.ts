import { existsSync, readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip, gzipSync } from "node:zlib";
import { route } from "./routes.js";

/**
 * Where the built IDE lives: graphiql/assets/ at the root of the checkout, committed and rebuilt by
 * `npm run graphiql:build` (graphiql/build.ts), so the server needs neither React nor GraphiQL installed.
 * Found by walking up from this module, which works from src/ under tsx and from a compiled dist/ alike.
 */
export function graphiqlAssetsDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, "graphiql", "assets");
    if (existsSync(join(candidate, "graphiql.js"))) return candidate;
    if (dirname(dir) === dir) throw new Error("The built GraphiQL (graphiql/assets/graphiql.js) is missing: run `npm run graphiql:build`.");
  }
}

/** The kinds of file the build writes and the page loads; anything else in the folder is not served. */
const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Zorgzaam GraphiQL</title>
<link rel="icon" href="/graphiql/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/graphiql/graphiql.css">
<script src="/graphiql/graphiql.js" defer></script>
</head>
<body>
<main id="graphiql" aria-label="GraphiQL, an IDE for the Zorgzaam GraphQL API">Loading GraphiQL…</main>
</body>
</html>
`;

/**
 * Scripts and workers only from this server. Styles allow 'unsafe-inline' because Monaco writes its theme
 * and layout into <style> elements it creates at run time, and offers no nonce for them.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

interface Asset {
  type: string;
  plain: Buffer;
  gzip: Buffer;
  /** Weak: the plain and the gzip body of a file are the same content, not the same bytes. */
  etag: string;
}

const gzipAsync = promisify(gzip);

const etagOf = (plain: Buffer) => `W/"${createHash("sha256").update(plain).digest("base64url").slice(0, 22)}"`;
const notModified = (req: IncomingMessage, etag: string) =>
  String(req.headers["if-none-match"] ?? "")
    .split(/\s*,\s*/)
    .includes(etag);

/** Whether a GET to /graphql comes from a browser asking for a page (not from a GraphQL client). */
export function wantsHtml(req: IncomingMessage): boolean {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const accept = String(req.headers.accept ?? "");
  if (!accept.includes("text/html")) return false;
  // A client that also accepts JSON and asks for it first gets GraphQL.
  const html = accept.indexOf("text/html");
  const json = Math.min(...["application/json", "application/graphql-response+json"].map((t) => (accept.includes(t) ? accept.indexOf(t) : Infinity)));
  return html < json;
}

/**
 * An offline GraphQL IDE: GET /graphql from a browser (Accept: text/html) serves a GraphiQL page, and
 * /graphiql/* serves its bundle, styles, Monaco's workers and the icon from graphiql/assets/ (gzip when
 * accepted, revalidated by ETag). GraphiQL posts JSON, so CSRF prevention stays on for everything else.
 */
export function graphiqlRoute(dir: string = graphiqlAssetsDir()) {
  const names = new Set(readdirSync(dir).filter((name) => Object.hasOwn(TYPES, extname(name))));
  // Read and compressed on first request, off the event loop (the main bundle takes about 0.3 s to gzip).
  const assets = new Map<string, Promise<Asset>>();
  const asset = (name: string): Promise<Asset> => {
    let a = assets.get(name);
    if (!a) {
      a = readFile(join(dir, name)).then(async (plain) => ({ type: TYPES[extname(name)], plain, gzip: await gzipAsync(plain), etag: etagOf(plain) }));
      a.catch(() => assets.delete(name));
      assets.set(name, a);
    }
    return a;
  };
  const send = (req: IncomingMessage, res: ServerResponse, a: Asset, headers: Record<string, string>) => {
    if (notModified(req, a.etag)) {
      res.writeHead(304, { etag: a.etag, ...headers }).end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? a.gzip : a.plain;
    res.writeHead(200, {
      "content-type": a.type,
      "content-length": String(body.length),
      "x-content-type-options": "nosniff",
      vary: "accept-encoding",
      etag: a.etag,
      ...(gzip ? { "content-encoding": "gzip" } : {}),
      ...headers,
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };
  const page: Asset = { type: "text/html; charset=utf-8", plain: Buffer.from(PAGE), gzip: gzipSync(PAGE), etag: etagOf(Buffer.from(PAGE)) };

  return route(
    (pathname, req) => (pathname === "/graphql" ? wantsHtml(req) : pathname.startsWith("/graphiql/")),
    async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
      if (pathname === "/graphql") {
        if (!wantsHtml(req)) return false;
        send(req, res, page, {
          "content-security-policy": CSP,
          "cache-control": "no-cache",
          "referrer-policy": "no-referrer",
          "x-frame-options": "DENY",
          vary: "accept, accept-encoding",
        });
        return true;
      }
      if (!pathname.startsWith("/graphiql/")) return false;
      const name = pathname.slice("/graphiql/".length);
      if (!names.has(name) || (req.method !== "GET" && req.method !== "HEAD")) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found.");
        return true;
      }
      // The names stay the same across builds: a browser revalidates by ETag (a 304 costs nothing) rather than
      // keeping an old bundle after an upgrade.
      send(req, res, await asset(name), { "cache-control": "no-cache" });
      return true;
    },
  );
}
