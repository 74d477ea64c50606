import type { RequestHooks, RequestPlugin } from "../../graphql/plugins.js";
import { type DocumentNode, type FieldNode, GraphQLError, type GraphQLFormattedError, Kind, getOperationAST } from "graphql";
import type { Context } from "../../graphql/context.js";
import { errorExtensions, errorJson, localizedError, operationErrorOf } from "../../graphql/errors.js";
import { ApiClientReason as R } from "./api-client.errors.js";
import { SCOPES, rootFields, scopeViolation } from "./api-client.scopes.js";
import { type ApiClientService, type ClientPrincipal, type Principal, sha256Hex } from "./api-client.service.js";
import type { RateDecision } from "./rate-limiter.js";

/** A request the HTTP front may run (perhaps with the allow-listed document filled in), or its refusal. */
export type Admission =
  { ok: true; body: unknown; search: string; headers: Record<string, string> } | { ok: false; status: number; headers: Record<string, string>; error: GraphQLFormattedError };

const rateHeaders = (d: RateDecision | null): Record<string, string> =>
  d
    ? {
        "ratelimit-policy": `${d.limit};w=60`,
        "ratelimit-limit": String(d.limit),
        "ratelimit-remaining": String(d.remaining),
        "ratelimit-reset": String(d.resetSeconds),
      }
    : {};

/** Every answer to a sandbox key says so, whatever the operation. */
const sandboxHeader = (client: ClientPrincipal | null): Record<string, string> => (client?.sandboxOrganisationId ? { "zorgzaam-sandbox": "true" } : {});

const tooMany = (d: RateDecision): GraphQLFormattedError =>
  errorJson(
    "Rate limit of {limit} requests per minute reached; retry in {wait} s.",
    { code: "TOO_MANY_REQUESTS", reason: R.RATE_LIMITED, details: { retryAfterSeconds: d.retryAfterSeconds } },
    { limit: d.limit, wait: d.retryAfterSeconds },
  );

const notAllowed = (): GraphQLFormattedError =>
  errorJson("This key runs only operations on its app's allow-list, and this one is not on it.", { code: "FORBIDDEN", reason: R.OPERATION_NOT_ALLOWED });

/** A refusal as an error of the one operation on a WebSocket (the socket stays open), in the socket's language. */
const operationError = (e: GraphQLFormattedError) => operationErrorOf(e);

/**
 * Before a request runs over HTTP: counts it against its key's rate limit (429 with Retry-After when
 * the limit is reached) and, for a key bound to an allow-list, admits only registered operations —
 * sent in full, or by their SHA-256 alone in extensions.persistedQuery, whose document is filled in.
 */
export async function admitHttp(
  service: ApiClientService,
  principal: Principal,
  request: { method: string; search: string; body: unknown; address: string | undefined },
): Promise<Admission> {
  const decision = await service.rateLimit(principal, request.address);
  const headers = { ...rateHeaders(decision), ...sandboxHeader(principal.client) };
  const client = principal.client;
  if (decision && !decision.allowed) {
    if (client) service.usage.count(client.keyId, "RATE_LIMITED");
    return { ok: false, status: 429, headers: { ...headers, "retry-after": String(decision.retryAfterSeconds) }, error: tooMany(decision) };
  }
  if (!client?.allowListOnly) return { ok: true, body: request.body, search: request.search, headers };
  const refused = await allowListAdmission(service, client, request, headers);
  if (!refused.ok) service.usage.count(client.keyId, "ERROR");
  return refused;
}

/** A request of a key bound to its app's allow-list: admitted (perhaps with the document filled in) or refused. */
async function allowListAdmission(
  service: ApiClientService,
  client: ClientPrincipal,
  request: { method: string; search: string; body: unknown },
  headers: Record<string, string>,
): Promise<Admission> {
  const params = new URLSearchParams(request.search);
  const post = request.method === "POST";
  const body = post && request.body && typeof request.body === "object" && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : null;
  if (post && !body) return { ok: false, status: 403, headers, error: notAllowed() };
  const query = post ? body!.query : params.get("query");
  let extensions: unknown = post ? body!.extensions : params.get("extensions");
  if (typeof extensions === "string") {
    try {
      extensions = JSON.parse(extensions);
    } catch {
      extensions = undefined;
    }
  }
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  if (typeof query === "string" && query.length > 0) {
    if (!(await service.allowListed(client.clientId, sha256Hex(query)))) return { ok: false, status: 403, headers, error: notAllowed() };
    return { ok: true, body: request.body, search: request.search, headers };
  }
  if (typeof hash !== "string") return { ok: false, status: 403, headers, error: notAllowed() };
  const op = await service.allowListed(client.clientId, hash.toLowerCase());
  if (!op) return { ok: false, status: 403, headers, error: notAllowed() };
  if (post) return { ok: true, body: { ...body, query: op.document }, search: request.search, headers };
  params.set("query", op.document);
  return { ok: true, body: request.body, search: `?${params.toString()}`, headers };
}

/**
 * The same checks for one operation on a WebSocket (rate limit, allow-list, scopes), answered as
 * errors of that operation; the socket stays open.
 */
export async function admitWs(
  service: ApiClientService,
  context: Context,
  operation: { query: string; document: DocumentNode; operationName?: string | null; variables?: Record<string, unknown> | null },
): Promise<GraphQLError[] | null> {
  // Only keys are counted here: a socket's address is not a fair bucket for anonymous operations.
  const client = context.client;
  if (!client) return null;
  const decision = await service.rateLimit({ viewer: context.viewer, client }, undefined);
  if (decision && !decision.allowed) {
    service.usage.count(client.keyId, "RATE_LIMITED");
    return [operationError(tooMany(decision))];
  }
  if (client.allowListOnly && !(await service.allowListed(client.clientId, sha256Hex(operation.query)))) {
    service.usage.count(client.keyId, "ERROR");
    return [operationError(notAllowed())];
  }
  const refused = operationRefusal(client, operation.document, operation.operationName, operation.variables ?? {});
  // An operation on a socket is counted when it is admitted or refused; errors while it runs are not.
  service.usage.count(client.keyId, refused ? "ERROR" : "OK");
  if (!refused) return null;
  const { http: _http, ...extensions } = refused.extensions;
  // The refusal stays the original error, so the formatter gives it in the socket's language.
  return [new GraphQLError(refused.message, { extensions, originalError: refused })];
}

/**
 * Apollo plugin: a key runs only the root fields of its scopes (FORBIDDEN, HTTP 403, before anything
 * executes), and each request of a key is counted in its usage. Requests without a key pass untouched.
 */
export function apiScopePlugin(service: ApiClientService): RequestPlugin<Context> {
  const hooks: RequestHooks<Context> = {
    didResolveOperation(r) {
      const client = r.contextValue.client;
      if (!client || !r.document) return;
      const refused = operationRefusal(client, r.document, r.operationName, r.request.variables ?? {});
      if (refused) throw refused;
    },
    willSendResponse(r) {
      const client = r.contextValue.client;
      if (!client) return;
      const body = r.response.body;
      const failed = body.kind === "single" ? (body.singleResult.errors?.length ?? 0) > 0 : (body.initialResult.errors?.length ?? 0) > 0;
      service.usage.count(client.keyId, failed ? "ERROR" : "OK");
    },
  };
  return (rc) => (rc.contextValue.client ? hooks : undefined);
}

function operationRefusal(client: ClientPrincipal, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): GraphQLError | null {
  const violation = scopeViolation(document, operationName, client.scopes);
  if (violation) {
    return localizedError(
      "{operation} {field}: this key lacks the scope for it (needs {login, select, yes {a login, not an API key} other {one of the scopes {scopes}}}).",
      { operation: violation.operation, field: violation.field, login: violation.needs.length ? "no" : "yes", scopes: violation.needs.join(", ") },
      { extensions: errorExtensions({ code: "FORBIDDEN", reason: R.SCOPE_REQUIRED, details: { http: { status: 403 } } }) },
    );
  }
  const operation = getOperationAST(document, operationName ?? undefined);
  if (operation?.operation === "mutation" && client.scopes.has("organisation:write") && !client.sandboxOrganisationId && !client.actsForOrganisationId) {
    const organisational = new Set(SCOPES["organisation:write"].fields.mutation);
    const field = rootFields(document, operation).find((f) => organisational.has(f.name.value) && !otherScopeOpens(client, f.name.value));
    if (field) {
      return localizedError(
        "{operation} {field}: this app acts for no organisation yet; a coordinator binds it to one first.",
        { operation: "mutation", field: field.name.value },
        { extensions: errorExtensions({ code: "FORBIDDEN", reason: R.NOT_BOUND_TO_ORGANISATION, details: { http: { status: 403 } } }) },
      );
    }
  }
  if (operation?.operation === "mutation") {
    for (const field of rootFields(document, operation)) {
      if (field.name.value !== "askForHelp") continue;
      if (!namesPersonHelped(field, variables)) {
        return localizedError("input.personHelped: an app asks on behalf of its users; name the person with personHelped or personHelpedId.", undefined, {
          extensions: errorExtensions({ code: "BAD_USER_INPUT", reason: R.PERSON_HELPED_REQUIRED, field: "input.personHelped", details: { http: { status: 400 } } }),
        });
      }
      if (client.sandboxOrganisationId) {
        const outside = outsideSandbox(field, variables, client.sandboxOrganisationId);
        if (outside) {
          return localizedError(
            "{field}: a sandbox key asks only within its sandbox organisation, never as another.",
            { field: outside },
            { extensions: errorExtensions({ code: "FORBIDDEN", reason: R.SANDBOX_ONLY, field: outside, details: { http: { status: 403 } } }) },
          );
        }
      }
    }
  }
  return null;
}

/** Whether one of the key's other scopes opens this mutation too. */
function otherScopeOpens(client: ClientPrincipal, field: string): boolean {
  return [...client.scopes].some((scope) => scope !== "organisation:write" && (SCOPES[scope].fields.mutation ?? []).includes(field));
}

/** The value of one field of askForHelp's input (inline or through variables); undefined when absent. */
function inputValue(field: FieldNode, variables: Record<string, unknown>, name: string): unknown {
  const arg = field.arguments?.find((a) => a.name.value === "input");
  if (!arg) return undefined;
  if (arg.value.kind === Kind.VARIABLE) {
    const input = variables[arg.value.name.value];
    return input && typeof input === "object" ? (input as Record<string, unknown>)[name] : undefined;
  }
  if (arg.value.kind !== Kind.OBJECT) return undefined;
  const value = arg.value.fields.find((f) => f.name.value === name)?.value;
  if (!value || value.kind === Kind.NULL) return undefined;
  if (value.kind === Kind.VARIABLE) return variables[value.name.value];
  return value.kind === Kind.STRING || value.kind === Kind.ENUM ? value.value : true;
}

/** Which input field of askForHelp would reach outside a sandbox: asking as another organisation. */
function outsideSandbox(field: FieldNode, variables: Record<string, unknown>, organisationId: string): string | null {
  const asking = inputValue(field, variables, "askingOrganisationId");
  return asking != null && asking !== organisationId ? "input.askingOrganisationId" : null;
}

/** Whether askForHelp's input names the person helped (inline or through a variable). */
function namesPersonHelped(field: FieldNode, variables: Record<string, unknown>): boolean {
  const arg = field.arguments?.find((a) => a.name.value === "input");
  if (!arg) return true; // graphql-js reports the missing argument
  if (arg.value.kind === Kind.VARIABLE) {
    const input = variables[arg.value.name.value] as Record<string, unknown> | null | undefined;
    return !input || typeof input !== "object" || input.personHelped != null || input.personHelpedId != null;
  }
  if (arg.value.kind !== Kind.OBJECT) return true;
  return arg.value.fields.some((f) => {
    if (f.name.value !== "personHelped" && f.name.value !== "personHelpedId") return false;
    if (f.value.kind === Kind.NULL) return false;
    if (f.value.kind === Kind.VARIABLE) return variables[f.value.name.value] != null;
    return true;
  });
}
