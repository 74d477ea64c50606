/**
 * A welfare foundation's app on the Zorgzaam API. It lists what is on in one neighbourhood, the
 * foundation's open help requests there, and asks for help on behalf of a resident:
 *
 *   ZORGZAAM_API_KEY=zz_... npm start -- [list|ask] [neighbourhood name]
 *
 * Set ZORGZAAM_URL for another server than http://localhost:4000/graphql.
 */
import { ApiRequestError, createClient } from "./client.js";
import { AskOnBehalfDocument, CurrentKeyDocument, NeighbourhoodInitiativesDocument, OurOpenRequestsDocument, PlacesDocument } from "./gql/graphql.js";
import type { OurOpenRequestsQuery } from "./gql/graphql.js";

type OpenRequest = OurOpenRequestsQuery["myHelpRequests"]["edges"][number]["node"];

const url = process.env.ZORGZAAM_URL ?? "http://localhost:4000/graphql";
const apiKey = process.env.ZORGZAAM_API_KEY;
const [command = "list", ...rest] = process.argv.slice(2);
const neighbourhoodName = rest.join(" ") || "Wielwijk";

async function main(): Promise<void> {
  if (!apiKey) throw new Error("Set ZORGZAAM_API_KEY to the key a coordinator issued to the app (README: Run it).");
  const api = createClient({ url, apiKey });

  const key = (await api.execute(CurrentKeyDocument)).currentApiKey;
  if (!key) throw new Error("The server did not recognise the request as made with an API key.");
  console.log(`${key.clientName}: key with ${key.scopes.join(", ")}${key.sandbox ? `, sandbox ${key.sandboxOrganisationId}` : ""}, valid until ${key.expiresAt}`);

  const places = await api.execute(PlacesDocument);
  const neighbourhood = places.neighbourhoods.find((n) => n.name.toLowerCase() === neighbourhoodName.toLowerCase());
  if (!neighbourhood) throw new Error(`No neighbourhood is called ${neighbourhoodName}; try one of: ${places.neighbourhoods.map((n) => n.name).join(", ")}`);

  if (command === "ask") {
    const groceries = places.helpCategories.find((c) => c.code === "GROCERIES") ?? places.helpCategories[0];
    const start = new Date(Date.now() + 24 * 3600_000);
    const asked = await api.execute(AskOnBehalfDocument, {
      input: {
        categoryId: groceries.id,
        title: "Boodschappen voor mevrouw",
        description: "Mevrouw kan na een val niet zelf naar de supermarkt; de lijst ligt klaar.",
        windowStart: start.toISOString(),
        windowEnd: new Date(start.getTime() + 48 * 3600_000).toISOString(),
        personHelped: { firstName: "Riet", neighbourhoodId: neighbourhood.id, phone: "06 1234 5678" },
      },
    });
    const r = asked.askForHelp;
    console.log(`Asked ${r.id} for ${r.personHelped.firstName} in ${r.neighbourhood.name}: ${r.status}${r.sandbox ? " (sandbox)" : ""}`);
  } else if (command !== "list") {
    throw new Error(`Unknown command ${command}: use list or ask.`);
  }

  const initiatives = await api.execute(NeighbourhoodInitiativesDocument, { neighbourhoodIds: [neighbourhood.id], first: 5 });
  console.log(`\nOn in ${neighbourhood.name} (${neighbourhood.area.name}):`);
  for (const { node } of initiatives.initiatives.edges) {
    console.log(
      `  - ${node.title} (${node.kind.toLowerCase()}, ${node.organisation.name}${node.placesLeft === null || node.placesLeft === undefined ? "" : `, ${node.placesLeft} places left`})`,
    );
  }

  if (key.scopes.includes("REQUESTS_WRITE")) {
    const open: OpenRequest[] = [];
    let after: string | null = null;
    do {
      const page: OurOpenRequestsQuery = await api.execute(OurOpenRequestsDocument, { first: 50, after });
      open.push(...page.myHelpRequests.edges.map((e) => e.node).filter((r) => r.neighbourhood.id === neighbourhood.id));
      after = page.myHelpRequests.pageInfo.hasNextPage ? (page.myHelpRequests.pageInfo.endCursor ?? null) : null;
    } while (after);
    console.log(`\nOur open requests in ${neighbourhood.name}: ${open.length}`);
    for (const r of open) console.log(`  - ${r.title} for ${r.personHelped.firstName} (${r.category.name}, ${r.windowStart.slice(0, 10)})${r.sandbox ? " [sandbox]" : ""}`);
  }
  console.log(`\nRequests left this minute: ${api.last.rateLimitRemaining ?? "not limited"}${api.last.sandbox ? " (sandbox key)" : ""}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof ApiRequestError || err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
