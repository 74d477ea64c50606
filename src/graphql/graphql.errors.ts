import { defineReasons } from "../shared/errors.js";
import { dutchMessages } from "../shared/i18n.js";

/**
 * Reasons the GraphQL layer itself reports in `extensions.reason` (see docs/error-codes.md): a
 * document over a limit (depth, aliases, cost), too many ids for `nodes`, too many operations on one
 * socket, the field authorisation of `@Authorized` policies (contact details, a request's history), and
 * the HTTP front's refusals of an `Idempotency-Key` it cannot keep (the idempotency module runs what
 * the front accepts).
 */
export const GraphQLReason = defineReasons([
  "QUERY_TOO_DEEP",
  "TOO_MANY_ALIASES",
  "QUERY_TOO_COMPLEX",
  "TOO_MANY_IDS",
  "TOO_MANY_SUBSCRIPTIONS",
  "CONTACT_DETAILS_HIDDEN",
  "HISTORY_HIDDEN",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_KEY_IN_PROGRESS",
  "IDEMPOTENCY_KEY_NEEDS_CALLER",
  "IDEMPOTENCY_KEY_NEEDS_DOCUMENT",
  "UNKNOWN_ENUM",
]);
export type GraphQLReason = keyof typeof GraphQLReason;

declare module "../shared/errors.js" {
  interface ReasonRegistry extends Record<GraphQLReason, true> {}
}

/**
 * Dutch wording of the messages this layer gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const GraphqlMessagesNl = dutchMessages({
  "This needs one of the roles: {roles}.": "Hiervoor heb je een van deze rollen nodig: {roles}.",
  "Nothing here; GraphQL lives at /graphql.": "Hier is niets; GraphQL staat op /graphql.",
  "Use GET or POST.": "Gebruik GET of POST.",
  "Idempotency-Key must be 1-200 visible ASCII characters.": "Idempotency-Key moet uit 1 tot 200 zichtbare ASCII-tekens bestaan.",
  "An Idempotency-Key needs a caller to keep it for: log in or send an API key, or leave the header out.":
    "Een Idempotency-Key wordt per aanroeper bewaard: log in of stuur een API-sleutel mee, of laat de header weg.",
  "A request with an Idempotency-Key must send its document in `query`, not only its hash.":
    "Een verzoek met een Idempotency-Key moet zijn document in `query` meesturen, niet alleen de hash ervan.",
  "This Idempotency-Key was used for a different request.": "Deze Idempotency-Key is al voor een ander verzoek gebruikt.",
  "A request with this Idempotency-Key is still running; retry shortly.": "Een verzoek met deze Idempotency-Key loopt nog; probeer het zo opnieuw.",
  "Something went wrong on our side; it has been logged.": "Er ging bij ons iets mis; dat is vastgelegd.",
  "The request body is empty; send a JSON object with a `query`.": "De body van het verzoek is leeg; stuur een JSON-object met een `query`.",
  "The request body is not valid JSON.": "De body van het verzoek is geen geldige JSON.",
  "The request body is larger than {limit} bytes.": "De body van het verzoek is groter dan {limit} bytes.",
  "The request body could not be read.": "De body van het verzoek kon niet worden gelezen.",
  "ids: at most {max} at once": "ids: hooguit {max} tegelijk",
  "Internal server error": "Interne serverfout",
  "At most {max} operations can run on one connection.": "Er kunnen hooguit {max} operaties tegelijk op één verbinding lopen.",
  "Your credentials no longer hold: reconnect with valid ones.": "Je inloggegevens gelden niet meer: maak opnieuw verbinding met geldige.",
  "The operation has no query text.": "De operatie heeft geen querytekst.",
  "Name the operation to run with operationName.": "Noem met operationName welke operatie moet worden uitgevoerd.",
  "Query is too expensive: once its fragments are spread it selects more than {maxFields} fields, at most a cost of {maxCost} is allowed (spread fragments into fewer places, or ask for fewer fields).":
    "De query is te duur: met de fragmenten uitgeschreven selecteert hij meer dan {maxFields} velden, en hooguit een kostprijs van {maxCost} is toegestaan (schrijf fragmenten op minder plaatsen uit, of vraag minder velden).",
  "Query is too expensive: its cost is {cost}, at most {maxCost} is allowed (lists multiply the cost of what they contain by the most items they can return; ask for smaller pages, fewer nested lists or fewer fields).":
    "De query is te duur: de kostprijs is {cost}, hooguit {maxCost} is toegestaan (lijsten vermenigvuldigen de kostprijs van wat erin staat met het grootste aantal items dat ze kunnen geven; vraag kleinere pagina's, minder geneste lijsten of minder velden).",
  "Query is too deep: at most {max} levels are allowed.": "De query is te diep: hooguit {max} niveaus zijn toegestaan.",
  "enum: this schema has no enum of that name": "enum: dit schema heeft geen enum met die naam",
  "Too many aliases: at most {max} are allowed.": "Te veel aliassen: hooguit {max} zijn toegestaan.",
});
