import { Extensions, Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";
import type { ApiScopeName } from "./api-client.tables.js";

export enum ApiScope {
  PUBLIC_READ = "PUBLIC_READ",
  STATS_READ = "STATS_READ",
  REQUESTS_WRITE = "REQUESTS_WRITE",
  ORGANISATION_WRITE = "ORGANISATION_WRITE",
}
registerEnumType(ApiScope, {
  name: "ApiScope",
  description: "What an API key may reach. A key runs only the operations of its scopes (README: For partner apps).",
  valuesConfig: {
    PUBLIC_READ: { description: "`public:read`: places, help categories, teams, published initiatives, verified organisations, public statistics." },
    STATS_READ: {
      description:
        "`stats:read`: statistics including the finer figures (escalations by trigger and outcome) and the council's further figures (councilStats); small numbers stay suppressed.",
    },
    REQUESTS_WRITE: {
      description: "`requests:write`: ask for help on behalf of the app's users, follow, complete and cancel those requests (the app is recorded as the asker).",
    },
    ORGANISATION_WRITE: {
      description:
        "`organisation:write`: act for the one organisation a coordinator bound the app to: post and change its initiatives and read their sign-ups, as one of its organisers.",
    },
  },
});

export const scopeToName: Record<ApiScope, ApiScopeName> = {
  PUBLIC_READ: "public:read",
  STATS_READ: "stats:read",
  REQUESTS_WRITE: "requests:write",
  ORGANISATION_WRITE: "organisation:write",
};
export const nameToScope = Object.fromEntries(Object.entries(scopeToName).map(([k, v]) => [v, k])) as Record<ApiScopeName, ApiScope>;

@ObjectType("ApiClient", {
  implements: Node,
  description: "A partner app (partner-app) registered by a coordinator: a welfare foundation's app, a shop's site, a dashboard. It holds keys.",
})
export class ApiClient extends Node {
  @Field(() => String, { description: "Name of the app, shown as the asker of requests it makes on its users' behalf." })
  name!: string;
  @Field(() => String, { description: "What the app does and for whom." })
  description!: string;
  @Field(() => String, { description: "Who to contact about the app (technical contact)." })
  contactEmail!: string;
  @Field(() => DateTimeISO, { description: "When it was registered." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When every key of the app was disabled; null while enabled." })
  disabledAt!: Date | null;
}

@ObjectType("ApiKey", {
  implements: Node,
  description: "An API key of a partner app. The key itself is shown once when issued; only its prefix is kept visible.",
})
export class ApiKey extends Node {
  @Field(() => String, { description: "A name for the key, e.g. 'production' or 'test'." })
  label!: string;
  @Field(() => String, { description: "The first characters of the key, to recognise it in configuration." })
  prefix!: string;
  @Field(() => Int, { description: "Requests per minute this key may make; more are answered with TOO_MANY_REQUESTS." })
  rateLimitPerMinute!: number;
  @Field(() => Boolean, { description: "When true, the key runs only operations registered on its app's allow-list." })
  allowListOnly!: boolean;
  @Field(() => Boolean, { description: "True for a test key that acts only within its app's sandbox organisation." })
  sandbox!: boolean;
  @Field(() => DateTimeISO, { description: "When the key stops working." })
  expiresAt!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When it was revoked; null while not revoked." })
  revokedAt!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "Roughly when it was last used (recorded at most every five minutes)." })
  lastUsedAt!: Date | null;
  @Field(() => DateTimeISO, { description: "When it was issued." })
  createdAt!: Date;
}

@ObjectType("IssuedApiKey", { description: "A newly issued key: `secret` is shown this once and cannot be retrieved later." })
export class IssuedApiKey {
  @Field(() => String, { description: "The key (zz_...). Send it as `X-Api-Key` or `Authorization: Bearer`. Store it as a secret." })
  secret!: string;
  @Field(() => ApiKey, { description: "The stored key (without its secret)." })
  apiKey!: ApiKey;
}

@ObjectType("PersistedOperation", {
  implements: Node,
  description: "An operation on a partner app's allow-list; a key bound to the allow-list runs only these (by their SHA-256).",
})
export class PersistedOperation extends Node {
  @Field(() => String, { description: "Hex SHA-256 of the exact document text; send it as extensions.persistedQuery.sha256Hash." })
  sha256!: string;
  @Field(() => String, { nullable: true, description: "The operation's name, if it has one." })
  operationName!: string | null;
  @Field(() => String, { description: "query, mutation or subscription." })
  operationType!: string;
  @Field(() => String, { description: "The document text." })
  document!: string;
  @Field(() => DateTimeISO, { description: "When it was registered." })
  createdAt!: Date;
}

@ObjectType("ApiKeyInfo", { description: "The key a request was made with, as the partner app sees it." })
export class ApiKeyInfo {
  @Field(() => String, { description: "Name of the app." })
  clientName!: string;
  @Field(() => String, { description: "The key's prefix." })
  prefix!: string;
  @Extensions({ maxItems: 10 })
  @Field(() => [ApiScope], { description: "The key's scopes." })
  scopes!: ApiScope[];
  @Field(() => Int, { description: "Requests per minute this key may make." })
  rateLimitPerMinute!: number;
  @Field(() => Boolean, { description: "Whether only the app's allow-listed operations run." })
  allowListOnly!: boolean;
  @Field(() => Boolean, { description: "True for a sandbox (test) key: what it asks reaches no volunteer, team or statistic." })
  sandbox!: boolean;
  @Field(() => ID, {
    nullable: true,
    description: "The sandbox organisation a sandbox key acts within (what it asks is asked for it); null for any other key.",
  })
  sandboxOrganisationId!: string | null;
  @Field(() => DateTimeISO, { description: "When the key stops working." })
  expiresAt!: Date;
  @Field(() => ID, {
    nullable: true,
    description: "The organisation the app acts for with `organisation:write` (bound by a coordinator); null when it is bound to none.",
  })
  actsForOrganisationId!: string | null;
}

@ObjectType("ApiKeyUsageDay", { description: "What one key of an app did on one day (Europe/Amsterdam)." })
export class ApiKeyUsageDay {
  @Field(() => String, { description: "The day, YYYY-MM-DD, in Europe/Amsterdam." })
  day!: string;
  @Field(() => String, { description: "The key's prefix." })
  keyPrefix!: string;
  @Field(() => Int, { description: "Requests made with the key (over HTTP, and operations on a WebSocket), refused ones included." })
  requests!: number;
  @Field(() => Int, { description: "Of those, the ones answered with one or more errors (refusals included)." })
  errors!: number;
  @Field(() => Int, { description: "Of those, the ones refused because the key's rate limit was reached." })
  rateLimited!: number;
}

@ObjectType("ApiClientOrganisationBinding", { description: "The organisation a partner app acts for with `organisation:write`." })
export class ApiClientOrganisationBinding {
  @Field(() => ID, { description: "The organisation." })
  organisationId!: string;
  @Field(() => ID, { description: "The account the app's keys act as there: one of the organisation's organisers, which its organisers can remove." })
  accountId!: string;
  @Field(() => DateTimeISO, { description: "When a coordinator bound the app to it." })
  boundAt!: Date;
}

export const ApiClientConnection = connectionTypes("ApiClient", ApiClient, "partner apps");
export const ApiKeyConnection = connectionTypes("ApiKey", ApiKey, "API keys");
export const PersistedOperationConnection = connectionTypes("PersistedOperation", PersistedOperation, "allow-listed operations");
