/**
 * The browser side of the offline GraphQL IDE: GraphiQL with its editors, bundled by build.ts into
 * graphiql/assets/ and served by src/graphql/graphiql.ts. Nothing here loads from another origin: Monaco's
 * workers are separate bundles on the same server, which the page's Content-Security-Policy allows.
 */
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import "./overrides.css";
import { StrictMode, createElement } from "react";
import { createRoot } from "react-dom/client";

/** Monaco asks for a worker per language; each is a classic script bundled next to this one. */
const WORKERS: Record<string, string> = { json: "json.worker.js", graphql: "graphql.worker.js" };
(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return new Worker(`/graphiql/${WORKERS[label] ?? "editor.worker.js"}`, { name: label });
  },
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

const params = new URLSearchParams(window.location.search);
const wsUrl = `${window.location.protocol === "https:" ? "wss:" : "ws:"}//${window.location.host}/graphql`;
const fetcher = createGraphiQLFetcher({ url: "/graphql", subscriptionUrl: wsUrl });

const container = document.getElementById("graphiql");
if (!container) throw new Error("The page has no #graphiql element.");
createRoot(container).render(
  createElement(
    StrictMode,
    null,
    createElement(
      GraphiQL,
      {
        fetcher,
        defaultQuery: DEFAULT_QUERY,
        initialQuery: params.get("query") ?? undefined,
        initialVariables: params.get("variables") ?? undefined,
        shouldPersistHeaders: false,
        isHeadersEditorEnabled: true,
        defaultEditorToolsVisibility: true,
      },
      // The page's one heading, in place of the default logo (a link to GitHub that leaves an offline page).
      createElement(GraphiQL.Logo, null, createElement("h1", { className: "zorgzaam-title" }, "Zorgzaam Graph", createElement("em", null, "i"), "QL")),
    ),
  ),
);
