import { Field, InputType, Int } from "type-graphql";
import { z } from "zod";
import { email, text } from "../../shared/validation.js";
import { SCOPE_NAMES } from "./api-client.scopes.js";
import type { ApiScopeName } from "./api-client.tables.js";
import { ApiScope } from "./api-client.type.js";

@InputType("RegisterApiClientInput", { description: "A partner app to register." })
export class RegisterApiClientInput {
  @Field(() => String, { description: "Name of the app, 2-80 characters (shown as the asker of requests it makes)." })
  name!: string;
  @Field(() => String, { description: "What the app does and for whom, 1-1000 characters." })
  description!: string;
  @Field(() => String, { description: "Technical contact of the app." })
  contactEmail!: string;
}

@InputType("IssueApiKeyInput", { description: "A key to issue to a partner app." })
export class IssueApiKeyInput {
  @Field(() => String, { description: "A name for the key, e.g. 'production'." })
  label!: string;
  @Field(() => [ApiScope], { description: "What the key may reach (at least one)." })
  scopes!: ApiScope[];
  @Field(() => Int, { nullable: true, description: "Days until it expires, 1-730 (default 365)." })
  expiresInDays?: number | null;
  @Field(() => Int, { nullable: true, description: "Requests per minute, 1-100000 (default API_KEY_RATE_LIMIT_PER_MINUTE)." })
  rateLimitPerMinute?: number | null;
  @Field(() => Boolean, { nullable: true, description: "Bind the key to the app's allow-list of operations (default false)." })
  allowListOnly?: boolean | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      "Issue a test key (default false): it acts only within the app's sandbox organisation, made with its first sandbox key; what it asks reaches no volunteer, team or statistic, and it reads only public data and its sandbox's.",
  })
  sandbox?: boolean | null;
}

/** What registerApiClient accepts. */
export const RegisterClientSchema = z.object({
  name: text(2, 80),
  description: text(1, 1000),
  contactEmail: email,
});

/** What issueApiKey accepts. */
export const IssueKeySchema = z.object({
  label: text(1, 80),
  scopes: z
    .array(z.enum(SCOPE_NAMES as [ApiScopeName, ...ApiScopeName[]]))
    .min(1, "give at least one scope")
    .max(SCOPE_NAMES.length),
  expiresInDays: z.number().int().min(1, "must be between 1 and 730").max(730, "must be between 1 and 730").nullish(),
  rateLimitPerMinute: z.number().int().min(1, "must be between 1 and 100000").max(100_000, "must be between 1 and 100000").nullish(),
  allowListOnly: z.boolean().nullish(),
  sandbox: z.boolean().nullish(),
});
