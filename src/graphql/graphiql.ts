import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Exactly these files are served under /graphiql/, read from the installed packages (no CDN). */
const FILES: Record<string, { path: () => string; type: string }> = {
  "graphiql.min.js": { path: () => join(packageDir("graphiql"), "graphiql.min.js"), type: "text/javascript; charset=utf-8" },
  "graphiql.min.css": { path: () => join(packageDir("graphiql"), "graphiql.min.css"), type: "text/css; charset=utf-8" },
  "react.production.min.js": { path: () => join(packageDir("react"), "umd", "react.production.min.js"), type: "text/javascript; charset=utf-8" },
  "react-dom.production.min.js": { path: () => join(packageDir("react-dom"), "umd", "react-dom.production.min.js"), type: "text/javascript; charset=utf-8" },
};

const DEFAULT_QUERY = `# Zorgzaam: the public graph needs no key. Put an API key in the headers below as
# { "X-Api-Key": "zz_..." }, or a login token as { "Authorization": "Bearer ..." }.
query Neighbourhoods {
  neighbourhoods {
    id
    name
    area { name }
  }
  initiatives(first: 5) {
    edges { node { id title neighbourhood { name } } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/** Starts GraphiQL; a separate file so the page's Content-Security-Policy needs no inline script. */
const INIT_JS = `(function () {
  var params = new URLSearchParams(window.location.search);
  var wsUrl = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + "/graphql";
  var fetcher = GraphiQL.createFetcher({ url: "/graphql", subscriptionUrl: wsUrl });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
      query: params.get("query") || undefined,
      variables: params.get("variables") || undefined,
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: true,
    }),
  );
})();
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Zorgzaam GraphiQL</title>
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script src="/graphiql/init.js"></script>
</body>
</html>
`;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
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
}

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
 * An offline GraphQL IDE: GET /graphql from a browser (Accept: text/html) serves a GraphiQL page,
 * and /graphiql/* serves its scripts and styles from node_modules (gzip when accepted, cached a day).
 * GraphiQL posts JSON, so CSRF prevention stays on for everything else.
 */
export function graphiqlRoute() {
  const assets = new Map<string, Asset>();
  const asset = (name: string): Asset | undefined => {
    let a = assets.get(name);
    if (a) return a;
    const file = FILES[name];
    const plain = name === "init.js" ? Buffer.from(INIT_JS) : file ? readFileSync(file.path()) : null;
    if (!plain) return undefined;
    a = { type: file?.type ?? "text/javascript; charset=utf-8", plain, gzip: gzipSync(plain) };
    assets.set(name, a);
    return a;
  };
  const send = (req: IncomingMessage, res: ServerResponse, a: Asset, headers: Record<string, string>) => {
    const gzip = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gzip ? a.gzip : a.plain;
    res.writeHead(200, {
      "content-type": a.type,
      "content-length": String(body.length),
      "x-content-type-options": "nosniff",
      vary: "accept-encoding",
      ...(gzip ? { "content-encoding": "gzip" } : {}),
      ...headers,
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };
  const page: Asset = { type: "text/html; charset=utf-8", plain: Buffer.from(PAGE), gzip: gzipSync(PAGE) };

  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    if (pathname === "/graphql") {
      if (!wantsHtml(req)) return false;
      send(req, res, page, { "content-security-policy": CSP, "cache-control": "no-cache", "referrer-policy": "no-referrer", "x-frame-options": "DENY", vary: "accept, accept-encoding" });
      return true;
    }
    if (!pathname.startsWith("/graphiql/")) return false;
    const name = pathname.slice("/graphiql/".length);
    const a = name === "init.js" || Object.hasOwn(FILES, name) ? asset(name) : undefined;
    if (!a || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found.");
      return true;
    }
    send(req, res, a, { "cache-control": name === "init.js" ? "no-cache" : "public, max-age=86400" });
    return true;
  };
}
