/** The operations the benchmarks send, exactly as the clients send them. */

/** A volunteer's app: the 20 newest open requests that fit them. */
export const BROWSE_QUERY =
  "query Browse { openHelpRequests(first: 20) { edges { cursor node { id title urgency windowStart windowEnd category { id name } neighbourhood { id name } personHelped { firstName } } } pageInfo { hasNextPage endCursor } } }";

export const BROWSE_BODY = JSON.stringify({ query: BROWSE_QUERY, operationName: "Browse" });

/** What every fan-out subscriber listens to. */
export const POSTED_SUBSCRIPTION = "subscription { helpRequestPosted { cursor helpRequest { id title neighbourhood { name } } } }";

export const ASK_MUTATION = "mutation Ask($input: AskForHelpInput!) { askForHelp(input: $input) { id status } }";
