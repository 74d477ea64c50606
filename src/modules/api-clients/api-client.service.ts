import { ApiSandboxes, type SandboxOrganisations } from "./api-client.sandbox.js";
import { createHash, randomBytes } from "node:crypto";
import { type DocumentNode, GraphQLError, Kind, type OperationDefinitionNode, parse } from "graphql";
import type { Clock } from "../../shared/clock.js";
import { DomainError, SharedReason, badInput, conflict, notFound } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { type PageArgs, cursorScope, pageRequest } from "../../shared/pagination.js";
import { parseInput } from "../../shared/validation.js";
import { type Viewer, anonymous, hasRole } from "../../shared/viewer.js";
import type { PersonService } from "../people/person.service.js";
import { ApiClientReason as R } from "./api-client.errors.js";
import { requirePartnerAppCoordinator } from "./api-client.policy.js";
import { IssueKeySchema, RegisterClientSchema } from "./api-client.input.js";
import type { ApiClientRepository, ApiClientRow, ApiKeyRow, KeyWithClient, PersistedOperationRow } from "./api-client.repository.js";
import type { ApiScopeName } from "./api-client.tables.js";
import type { RateDecision, RateLimiter } from "./rate-limiter.js";
import { ApiKeyUsage } from "./api-key-usage.js";
import { ApiClientOrganisations } from "./api-client.organisations.js";
import type { ApiKeyUsageRepository } from "./api-key-usage.repository.js";

/** Who a request comes from when it carries an API key. */
export interface ClientPrincipal {
  clientId: string;
  clientName: string;
  keyId: string;
  keyPrefix: string;
  scopes: ReadonlySet<ApiScopeName>;
  rateLimitPerMinute: number;
  allowListOnly: boolean;
  expiresAt: Date;
  /** For a sandbox key: the sandbox organisation it acts within; null for any other key. */
  sandboxOrganisationId: string | null;
  /** The organisation the app acts for with organisation:write (bound by a coordinator); null when none. */
  actsForOrganisationId: string | null;
}

/** The viewer the resolvers see, and the key (if any) it came with. */
export interface Principal {
  viewer: Viewer;
  client: ClientPrincipal | null;
}

export interface ApiClientSettings {
  /** Requests per minute of a new key unless the coordinator says otherwise. */
  defaultRateLimitPerMinute: number;
  /** Requests per minute per address without a key; 0 turns it off. */
  anonymousRateLimitPerMinute: number;
  /** How long an instance trusts what it read about a key (CREDENTIAL_RECHECK_SECONDS / 3; a revocation elsewhere shows within it). */
  keyCacheMs?: number;
}

const KEY_PREFIX = "zz_";
const MAX_ACTIVE_KEYS = 10;
const MAX_DOCUMENTS = 100;
/** How long an instance trusts what it read about a key, unless configured (a revocation elsewhere shows within it). */
const KEY_CACHE_MS = 10_000;
const TOUCH_EVERY_MS = 5 * 60_000;

export const sha256Hex = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Partner apps: a coordinator registers an app and issues keys (shown once, stored as a hash,
 * revocable, expiring) with scopes and a rate limit; a key can be bound to the app's allow-list of
 * operations. On the request path it turns credentials into a principal and counts requests.
 */
export class ApiClientService {
  private readonly keyCache = new Map<string, { key: KeyWithClient | null; until: number }>();
  private readonly operationCache = new Map<string, { op: PersistedOperationRow; until: number }>();
  private readonly touched = new Map<string, number>();
  private readonly keyListeners: ((clientId: string, here: boolean) => void)[] = [];
  private readonly sandboxes: ApiSandboxes;
  /** What each key does per day (api-key-usage.ts). */
  readonly usage: ApiKeyUsage;
  /** The organisation an app acts for (api-client.organisations.ts). */
  readonly organisations: ApiClientOrganisations;

  constructor(
    private readonly repo: ApiClientRepository,
    private readonly people: PersonService,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    private readonly settings: ApiClientSettings,
    usageRepo: ApiKeyUsageRepository,
    private readonly reportError: (err: unknown, context: string) => void = () => undefined,
  ) {
    this.sandboxes = new ApiSandboxes(repo, clock);
    this.usage = new ApiKeyUsage(usageRepo, clock, reportError);
    this.organisations = new ApiClientOrganisations(repo, clock, (clientId) => this.clientChanged(clientId));
  }

  get rateLimiterKind(): RateLimiter["kind"] {
    return this.limiter.kind;
  }

  /** How a sandbox's organisation is made (see SandboxOrganisations). */
  setSandboxOrganisations(create: SandboxOrganisations): void {
    this.sandboxes.organisations = create;
  }

  // ---- coordinators ----------------------------------------------------------------------------

  async registerClient(viewer: Viewer, input: unknown): Promise<ApiClientRow> {
    const v = requirePartnerAppCoordinator(viewer);
    const data = parseInput(RegisterClientSchema, input);
    const row: ApiClientRow = {
      id: newId("ApiClient"),
      name: data.name,
      description: data.description,
      contactEmail: data.contactEmail,
      servicePersonId: newId("Person"),
      createdById: v.personId,
      createdAt: this.clock.now(),
      disabledAt: null,
    };
    await this.repo.insertClient(row);
    return row;
  }

  /**
   * Issues a key; the returned secret is shown this once and never stored. A sandbox key acts only
   * within the app's sandbox, made with its first sandbox key.
   */
  async issueKey(viewer: Viewer, clientId: string, input: unknown): Promise<{ secret: string; key: ApiKeyRow }> {
    const v = requirePartnerAppCoordinator(viewer);
    const data = parseInput(IssueKeySchema, input);
    const client = await this.requireClient(clientId);
    const now = this.clock.now();
    if ((await this.repo.countActiveKeys(client.id, now)) >= MAX_ACTIVE_KEYS) {
      throw conflict(R.TOO_MANY_ACTIVE_KEYS, "An app has at most {max} active keys: revoke one first.", { max: MAX_ACTIVE_KEYS });
    }
    if (data.sandbox) await this.sandboxes.of(v, client);
    const secret = `${KEY_PREFIX}${randomBytes(30).toString("base64url")}`;
    const key: ApiKeyRow = {
      id: newId("ApiKey"),
      clientId: client.id,
      label: data.label,
      prefix: secret.slice(0, 11),
      secretHash: sha256Hex(secret),
      scopes: [...new Set(data.scopes)],
      rateLimitPerMinute: data.rateLimitPerMinute ?? this.settings.defaultRateLimitPerMinute,
      allowListOnly: data.allowListOnly ?? false,
      sandbox: data.sandbox ?? false,
      expiresAt: new Date(now.getTime() + (data.expiresInDays ?? 365) * 24 * 3600_000),
      revokedAt: null,
      revokedById: null,
      lastUsedAt: null,
      createdById: v.personId,
      createdAt: now,
    };
    await this.repo.insertKey(key);
    return { secret, key };
  }

  /**
   * Tells `listener` at once when an app's key is revoked or the app disabled on this instance, so its
   * open WebSockets are checked again and closed.
   */
  onKeysChanged(listener: (clientId: string, here: boolean) => void): void {
    this.keyListeners.push(listener);
  }

  /** Revokes a key at once on this instance (open sockets included), within the key cache's life on the others. */
  async revokeKey(viewer: Viewer, keyId: string): Promise<ApiKeyRow> {
    const v = requirePartnerAppCoordinator(viewer);
    const row = await this.repo.revokeKey(keyId, v.personId, this.clock.now());
    if (!row) throw notFound(R.API_KEY_NOT_FOUND, "No API key has this id.");
    this.keyCache.delete(row.secretHash);
    for (const listener of this.keyListeners) listener(row.clientId, true);
    return row;
  }

  /** Disables (or enables again) every key of an app. */
  async setClientDisabled(viewer: Viewer, clientId: string, disabled: boolean): Promise<ApiClientRow> {
    requirePartnerAppCoordinator(viewer);
    await this.requireClient(clientId);
    const row = await this.repo.setClientDisabled(clientId, disabled ? this.clock.now() : null);
    this.clientChanged(clientId);
    return row!;
  }

  /** Forgets what this instance read about the app's keys, and has its open sockets checked again; `here`: changed on this instance. */
  clientChanged(clientId: string, here = true): void {
    for (const [hash, entry] of this.keyCache) if (entry.key?.clientId === clientId) this.keyCache.delete(hash);
    for (const listener of this.keyListeners) listener(clientId, here);
  }

  /**
   * After keys of these apps were revoked elsewhere (an erasure of the person who registered them):
   * drops them from this instance's key cache and checks their open sockets again, at once.
   */
  keysRevoked(clientIds: readonly string[]): void {
    for (const clientId of new Set(clientIds)) this.clientChanged(clientId);
  }

  async getClient(viewer: Viewer, id: string): Promise<ApiClientRow> {
    requirePartnerAppCoordinator(viewer);
    return this.requireClient(id);
  }

  async findVisibleClient(viewer: Viewer, id: string): Promise<ApiClientRow | null> {
    if (!viewer.personId || !hasRole(viewer, "COORDINATOR")) return null;
    return (await this.repo.findClient(id)) ?? null;
  }

  async findVisibleKey(viewer: Viewer, id: string): Promise<ApiKeyRow | null> {
    if (!viewer.personId || !hasRole(viewer, "COORDINATOR")) return null;
    return (await this.repo.findKey(id)) ?? null;
  }

  async findVisibleOperation(viewer: Viewer, id: string): Promise<PersistedOperationRow | null> {
    if (!viewer.personId || !hasRole(viewer, "COORDINATOR")) return null;
    return (await this.repo.findOperationById(id)) ?? null;
  }

  async listClients(viewer: Viewer, args: PageArgs) {
    requirePartnerAppCoordinator(viewer);
    const scope = cursorScope("ApiClients");
    return this.repo.listClients(pageRequest(args, scope), scope);
  }

  async listKeys(viewer: Viewer, clientId: string, args: PageArgs) {
    requirePartnerAppCoordinator(viewer);
    const scope = cursorScope(`ApiClient.keys.${clientId}`);
    return this.repo.listKeys(clientId, pageRequest(args, scope), scope);
  }

  async listOperations(viewer: Viewer, clientId: string, args: PageArgs) {
    requirePartnerAppCoordinator(viewer);
    const scope = cursorScope(`ApiClient.operations.${clientId}`);
    return this.repo.listOperations(clientId, pageRequest(args, scope), scope);
  }

  /**
   * Adds documents to an app's allow-list. Each must parse, hold exactly one operation and pass
   * `check` (the schema's validation); its key is the hex SHA-256 of the exact text.
   */
  async registerOperations(viewer: Viewer, clientId: string, documents: string[], check: (document: DocumentNode) => readonly GraphQLError[]): Promise<PersistedOperationRow[]> {
    const v = requirePartnerAppCoordinator(viewer);
    const client = await this.requireClient(clientId);
    if (documents.length === 0 || documents.length > MAX_DOCUMENTS) {
      throw badInput(SharedReason.INVALID_INPUT, "documents: give 1 to {max} documents", "documents", { max: MAX_DOCUMENTS });
    }
    const now = this.clock.now();
    const rows = documents.map((text, i): PersistedOperationRow => {
      const field = `documents.${i}`;
      let document: DocumentNode;
      try {
        document = parse(text, { maxTokens: 5000 });
      } catch (err) {
        // graphql-js's own wording stays English (docs/i18n.md).
        throw badInput(R.INVALID_OPERATION_DOCUMENT, "{field}: {problem}", field, { field, problem: err instanceof GraphQLError ? err.message : "does not parse" });
      }
      const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      if (operations.length !== 1) {
        throw badInput(R.INVALID_OPERATION_DOCUMENT, "{field}: a document holds exactly one operation (fragments may accompany it)", field, { field });
      }
      const errors = check(document);
      if (errors.length) throw badInput(R.INVALID_OPERATION_DOCUMENT, "{field}: {problem}", field, { field, problem: errors[0].message });
      return {
        id: newId("PersistedOperation"),
        clientId: client.id,
        sha256: sha256Hex(text),
        operationName: operations[0].name?.value ?? null,
        operationType: operations[0].operation,
        document: text,
        createdById: v.personId,
        createdAt: now,
      };
    });
    await this.repo.insertOperations(rows);
    return this.repo.findOperationsByHash(client.id, [...new Set(rows.map((r) => r.sha256))]);
  }

  async removeOperation(viewer: Viewer, clientId: string, sha256: string): Promise<boolean> {
    requirePartnerAppCoordinator(viewer);
    await this.requireClient(clientId);
    this.operationCache.delete(`${clientId}:${sha256}`);
    return this.repo.removeOperation(clientId, sha256);
  }

  // ---- the request path ------------------------------------------------------------------------

  /**
   * The principal for a request's credentials: a login token (Authorization: Bearer <token>) goes
   * to the people module; an API key comes as `X-Api-Key: zz_...` or `Authorization: Bearer zz_...`.
   * Both kinds at once are refused: a request acts for one party.
   */
  async principalFor(credentials: { authorization?: string | null; apiKey?: string | null }): Promise<Principal> {
    const authorization = credentials.authorization?.trim() || null;
    const headerKey = credentials.apiKey?.trim() || null;
    const bearer = authorization ? (/^(?:Bearer\s+)?(zz_\S+)$/i.exec(authorization)?.[1] ?? null) : null;
    if (headerKey && authorization) {
      throw new DomainError("UNAUTHENTICATED", R.MIXED_CREDENTIALS, "Send either a login token or an API key, not both.");
    }
    const secret = headerKey ?? bearer;
    if (!secret) return { viewer: await this.people.viewerFor(authorization), client: null };
    const key = await this.lookup(secret);
    const now = this.clock.now().getTime();
    if (!key) throw new DomainError("UNAUTHENTICATED", R.INVALID_API_KEY, "This API key is not valid.");
    if (key.revokedAt || key.clientDisabledAt) throw new DomainError("UNAUTHENTICATED", R.API_KEY_REVOKED, "This API key was revoked.");
    if (key.expiresAt.getTime() <= now) throw new DomainError("UNAUTHENTICATED", R.API_KEY_EXPIRED, "This API key has expired; ask for a new one.");
    const sandbox = key.sandbox ? { organisationId: key.sandboxOrganisationId, personId: key.sandboxPersonId } : null;
    // A sandbox key without its sandbox cannot act anywhere: refused rather than let loose.
    if (sandbox && (!sandbox.organisationId || !sandbox.personId)) throw new DomainError("UNAUTHENTICATED", R.INVALID_API_KEY, "This API key is not valid.");
    this.touch(key, now);
    const scopes = new Set(key.scopes);
    const client: ClientPrincipal = {
      clientId: key.clientId,
      clientName: key.clientName,
      keyId: key.id,
      keyPrefix: key.prefix,
      scopes,
      rateLimitPerMinute: key.rateLimitPerMinute,
      allowListOnly: key.allowListOnly,
      expiresAt: key.expiresAt,
      sandboxOrganisationId: sandbox?.organisationId ?? null,
      actsForOrganisationId: sandbox ? null : key.boundOrganisationId,
    };
    // Asking on behalf of its users, the app acts as its own account with the right to ask on
    // someone's behalf (as a neighbourhood desk does); the scopes keep every other operation closed.
    // A sandbox key acts as the sandbox's account, which organises the sandbox organisation only.
    // With organisation:write it acts as its account in the organisation it is bound to (a sandbox key:
    // the sandbox's); unbound, as nobody.
    const acting = scopes.has("requests:write") || scopes.has("organisation:write");
    const personId = sandbox ? sandbox.personId! : scopes.has("organisation:write") ? key.boundPersonId : key.servicePersonId;
    const viewer: Viewer =
      !acting || !personId
        ? anonymous
        : { personId, roles: new Set(["ORGANISER"]), tokenExpiresAt: key.expiresAt.getTime(), ...(sandbox ? { sandboxOrganisationId: sandbox.organisationId! } : {}) };
    return { viewer, client };
  }

  /** True while a key works: not revoked and not expired. */
  isActive(key: ApiKeyRow): boolean {
    return key.revokedAt === null && key.expiresAt.getTime() > this.clock.now().getTime();
  }

  /**
   * Counts a request: against its key's limit, or (when configured) against its address's limit
   * when it has no key. Null when nothing limits it.
   */
  async rateLimit(principal: Principal, address: string | undefined): Promise<RateDecision | null> {
    if (principal.client) return this.limiter.hit(`key:${principal.client.keyId}`, principal.client.rateLimitPerMinute);
    if (this.settings.anonymousRateLimitPerMinute > 0 && !principal.viewer.personId) {
      return this.limiter.hit(`ip:${address ?? "unknown"}`, this.settings.anonymousRateLimitPerMinute);
    }
    return null;
  }

  /** The registered operation with this hash for the client, if any (cached briefly). */
  async allowListed(clientId: string, sha256: string): Promise<PersistedOperationRow | undefined> {
    const cacheKey = `${clientId}:${sha256}`;
    const now = Date.now();
    const cached = this.operationCache.get(cacheKey);
    if (cached && cached.until > now) return cached.op;
    const op = await this.repo.findOperation(clientId, sha256);
    if (op) {
      if (this.operationCache.size > 10_000) this.operationCache.clear();
      this.operationCache.set(cacheKey, { op, until: now + (this.settings.keyCacheMs ?? KEY_CACHE_MS) });
    }
    return op;
  }

  async close(): Promise<void> {
    await this.limiter.close();
    await this.usage.close();
  }

  private async lookup(secret: string): Promise<KeyWithClient | null> {
    if (!secret.startsWith(KEY_PREFIX) || secret.length > 100) return null;
    const hash = sha256Hex(secret);
    const now = Date.now();
    const cached = this.keyCache.get(hash);
    if (cached && cached.until > now) return cached.key;
    const key = (await this.repo.findKeyByHash(hash)) ?? null;
    if (this.keyCache.size > 10_000) this.keyCache.clear();
    this.keyCache.set(hash, { key, until: now + (this.settings.keyCacheMs ?? KEY_CACHE_MS) });
    return key;
  }

  /** Records when a key was last used, at most every few minutes per instance and never in the request's way. */
  private touch(key: KeyWithClient, now: number) {
    if ((this.touched.get(key.id) ?? 0) > now - TOUCH_EVERY_MS) return;
    this.touched.set(key.id, now);
    this.repo.touchKey(key.id, new Date(now)).catch((err) => this.reportError(err, "recording API key use failed"));
  }

  private async requireClient(id: string): Promise<ApiClientRow> {
    const client = await this.repo.findClient(id);
    if (!client) throw notFound(R.API_CLIENT_NOT_FOUND, "No API client has this id.");
    return client;
  }
}
