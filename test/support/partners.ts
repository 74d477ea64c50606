import { expect } from "vitest";
import type { Account } from "./builders.js";
import type { GqlResult, TestApp } from "./test-app.js";

export interface PartnerKey {
  clientId: string;
  keyId: string;
  secret: string;
  servicePersonId?: string;
}

let counter = 0;

/** A partner app registered by the coordinator, with one key of the given scopes. */
export async function buildPartnerKey(
  t: TestApp,
  coordinator: Account,
  scopes: string[] = ["PUBLIC_READ"],
  options: { rateLimitPerMinute?: number; allowListOnly?: boolean; expiresInDays?: number; clientId?: string; name?: string } = {},
): Promise<PartnerKey> {
  let clientId = options.clientId;
  if (!clientId) {
    const reg = await t.gql(
      `mutation($input: RegisterApiClientInput!) { registerApiClient(input: $input) { id name } }`,
      { input: { name: options.name ?? `Buurtapp ${++counter}`, description: "Een app van de welzijnsstichting.", contactEmail: "dev@welzijn.example" } },
      coordinator.token,
    );
    expect(reg.errors).toBeUndefined();
    clientId = reg.data.registerApiClient.id as string;
  }
  const { rateLimitPerMinute, allowListOnly, expiresInDays } = options;
  const issued = await t.gql(
    `mutation($id: ID!, $input: IssueApiKeyInput!) { issueApiKey(clientId: $id, input: $input) { secret apiKey { id prefix scopes active } } }`,
    { id: clientId, input: { label: "test", scopes, rateLimitPerMinute, allowListOnly, expiresInDays } },
    coordinator.token,
  );
  expect(issued.errors).toBeUndefined();
  return { clientId, keyId: issued.data.issueApiKey.apiKey.id, secret: issued.data.issueApiKey.secret };
}

/** POSTs a GraphQL request with an API key in X-Api-Key (or as a bearer token); returns status, headers and body. */
export async function keyed(
  t: TestApp,
  secret: string | null,
  query: string,
  variables?: Record<string, unknown>,
  options: { as?: "header" | "bearer"; headers?: Record<string, string>; extensions?: Record<string, unknown> } = {},
): Promise<GqlResult & { headers: Headers }> {
  const auth: Record<string, string> = secret ? (options.as === "bearer" ? { authorization: `Bearer ${secret}` } : { "x-api-key": secret }) : {};
  const res = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...auth, ...options.headers },
    body: JSON.stringify({ query, variables, ...(options.extensions ? { extensions: options.extensions } : {}) }),
  });
  const body = (await res.json()) as Omit<GqlResult, "status">;
  return { status: res.status, headers: res.headers, ...body };
}
