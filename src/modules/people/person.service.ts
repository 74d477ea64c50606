import DataLoader from "dataloader";
import { randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { DomainError, SharedReason, badInput, conflict, forbidden, notFound, unauthenticated } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { email, localDate, optionalText, parseInput, phone, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Role, type Viewer, anonymous, hasRole, requireViewer } from "../../shared/viewer.js";
import type { PlaceService } from "../places/place.service.js";
import { TokenService } from "./auth.tokens.js";
import { type LoginThrottle, createLoginThrottle } from "./login-throttle.js";
import { AccountReason } from "./account.errors.js";
import { PersonReason } from "./person.errors.js";
import type { PersonRepository, PersonRow } from "./person.repository.js";
import type { LoginOrigin, SessionService } from "./session.service.js";

const RegisterSchema = z.object({
  email,
  password: z.string().min(10, "must be at least 10 characters").max(200, "must be at most 200 characters"),
  firstName: text(1, 80),
  lastName: text(1, 120),
  neighbourhoodId: z.string().min(1, "must not be empty"),
  phone: phone.nullish(),
  address: optionalText(300),
  birthDate: localDate.nullish(),
  roles: z
    .array(z.enum(["RESIDENT", "VOLUNTEER", "MANTELZORGER"]))
    .max(3)
    .nullish(),
});

export const PersonHelpedSchema = z.object({
  firstName: text(1, 80),
  lastName: optionalText(120),
  neighbourhoodId: z.string().min(1, "must not be empty"),
  phone: phone.nullish(),
  address: optionalText(300),
  birthDate: localDate.nullish(),
});

export interface LoginResult {
  token: string;
  expiresAt: Date;
  person: PersonRow;
  roles: Role[];
}

/** A second factor, as login and the viewer need it (TotpService). */
export interface SecondFactor {
  challengeFor(personId: string, origin: LoginOrigin): Promise<{ challenge: string; expiresAt: Date } | null>;
  complete(challenge: string, code: string): Promise<{ personId: string; origin: LoginOrigin }>;
  mustEnrol(personId: string, roles: readonly Role[]): Promise<boolean>;
}

/** How long an instance trusts the roles it last read for a person, unless told otherwise (a grant elsewhere shows within it). */
const ROLE_CACHE_MS = 10_000;

/**
 * Told when a coordinator takes a role away, before `revokeRole` returns: what the role gave (a
 * volunteer's matches and the contact details that come with them) ends with it.
 */
export type RoleRevokedListener = (personId: string, role: Role, actorId: string) => Promise<unknown>;

/** Accounts, roles and login, and people helped who have no account of their own. */
export class PersonService {
  private readonly roleCache = new Map<string, { roles: Set<Role>; until: number; mustEnrol: boolean }>();
  private secondFactor: SecondFactor | null = null;
  private readonly rightsListeners: ((personId: string, here: boolean) => void)[] = [];
  /** A hash of no one's password: an unknown address is verified against it, so it costs what a wrong password costs. */
  private readonly dummyHash: Promise<string> = hash(randomBytes(16).toString("hex"));
  /** Password verifications done (exported as a metric): one per login attempt that was not throttled. */
  passwordVerifications = 0;
  private readonly roleRevoked: RoleRevokedListener[] = [];
  /**
   * Role reads of credential checks asked for in the same tick, answered in one read: the periodic
   * checks of thousands of sockets find their cached roles too old hundreds at a time.
   */
  private readonly roleLoads = new DataLoader<string, Role[]>(
    async (ids) => {
      if (ids.length === 1) return [await this.repo.rolesOf(ids[0])];
      const roles = await this.repo.rolesOfMany(ids);
      return ids.map((id) => roles.get(id) ?? []);
    },
    { cache: false, maxBatchSize: 500 },
  );

  constructor(
    private readonly repo: PersonRepository,
    private readonly places: PlaceService,
    private readonly tokens: TokenService,
    /** Login sessions: each login opens one; every request checks its token's. */
    readonly sessions: SessionService,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle = createLoginThrottle({ perAccount: 10, perAddress: 100, windowSeconds: 900 }),
    /** How long this instance trusts the roles it read (CREDENTIAL_RECHECK_SECONDS / 3). */
    private readonly roleCacheMs = ROLE_CACHE_MS,
  ) {
    // Ended sessions close the sockets opened with them on this instance at once.
    sessions.onEnded((personId) => this.rightsChanged(personId));
  }

  /**
   * Tells `listener` at once when a person's roles or team change on this instance, so what they have
   * open (WebSocket subscriptions) is checked again instead of running on the rights they had.
   */
  onRightsChanged(listener: (personId: string, here: boolean) => void): void {
    this.rightsListeners.push(listener);
  }

  /** Another instance changed a person's rights or ended their sessions (app.credentials.ts): read them again here. */
  rightsChangedElsewhere(personId: string): void {
    this.rightsChanged(personId, false);
  }

  /** Makes login two steps for accounts with a second factor (TotpService), and enforces REQUIRE_TOTP_FOR. */
  useSecondFactor(secondFactor: SecondFactor): void {
    this.secondFactor = secondFactor;
  }

  /** Something about a person's credentials changed elsewhere (a second factor set up): read them again. */
  credentialsChanged(personId: string): void {
    this.rightsChanged(personId);
  }

  /** `here`: the change was made on this instance (and is to be told to the others). */
  private rightsChanged(personId: string, here = true) {
    this.roleCache.delete(personId);
    for (const listener of this.rightsListeners) listener(personId, here);
  }

  async register(input: unknown, origin: LoginOrigin = {}): Promise<LoginResult> {
    const data = parseInput(RegisterSchema, input);
    await this.places.requireNeighbourhood(data.neighbourhoodId, "input.neighbourhoodId");
    const roles: Role[] = [...new Set<Role>(["RESIDENT", ...(data.roles ?? [])])];
    const passwordHash = await hash(data.password);
    const id = newId("Person");
    const inserted = await this.repo.insert(
      {
        id,
        firstName: data.firstName,
        lastName: data.lastName,
        email: data.email,
        passwordHash,
        phone: data.phone ?? null,
        address: data.address,
        neighbourhoodId: data.neighbourhoodId,
        birthDate: data.birthDate ?? null,
        createdById: null,
        teamId: null,
        roles,
      },
      this.clock.now(),
    );
    if (!inserted) throw conflict(PersonReason.EMAIL_TAKEN, "input.email: an account with this email already exists");
    const person = (await this.repo.findById(id))!;
    return { ...(await this.sessions.start(id, origin)), person, roles };
  }

  /**
   * Logs in. An unknown address gets the same answer and the same work as a wrong password (a
   * verification against a dummy hash), so neither the answer nor its time tells who has an account.
   * Failed attempts are counted per account and per client address; past the limit every attempt,
   * even with the right password, is refused with LOGIN_THROTTLED until the window ends.
   */
  async login(emailInput: string, password: string, clientAddress?: string, userAgent?: string): Promise<LoginResult> {
    const address = email.safeParse(emailInput);
    const attempt = { account: address.success ? address.data : emailInput.trim().toLowerCase().slice(0, 320), address: clientAddress };
    const wait = await this.throttle.retryAfter(attempt);
    if (wait > 0) {
      throw new DomainError("TOO_MANY_REQUESTS", PersonReason.LOGIN_THROTTLED, "Too many failed logins; try again in {wait} s.", undefined, { retryAfterSeconds: wait }, { wait });
    }
    const person = address.success ? await this.repo.findByEmail(address.data) : undefined;
    const stored = person?.passwordHash ?? (await this.dummy());
    this.passwordVerifications += 1;
    const ok = (await verify(stored, password).catch(() => false)) && !!person?.passwordHash;
    if (!person || !ok) {
      await this.throttle.failed(attempt);
      throw unauthenticated("Email or password is wrong.");
    }
    await this.throttle.succeeded(attempt);
    // Told only after the right password, so the reason says nothing to someone who does not know it.
    if (person.disabledAt) throw new DomainError("UNAUTHENTICATED", AccountReason.ACCOUNT_DISABLED, "This account has been disabled by a coordinator; ask them to enable it.");
    const origin = { address: clientAddress, userAgent };
    const step = await this.secondFactor?.challengeFor(person.id, origin);
    if (step) {
      throw new DomainError("UNAUTHENTICATED", AccountReason.TOTP_REQUIRED, "Enter the code from your authenticator app: completeLogin(challenge, code).", undefined, {
        challenge: step.challenge,
        challengeExpiresAt: step.expiresAt.toISOString(),
      });
    }
    const roles = await this.repo.rolesOf(person.id);
    return { ...(await this.sessions.start(person.id, origin)), person, roles };
  }

  /** The second step of a login with a second factor: the challenge `login` gave and a code (or a recovery code). */
  async completeLogin(challenge: string, code: string): Promise<LoginResult> {
    if (!this.secondFactor) throw unauthenticated();
    const { personId, origin } = await this.secondFactor.complete(challenge, code);
    const person = await this.repo.findById(personId);
    if (!person) throw unauthenticated("The account of this login no longer exists.");
    if (person.disabledAt) throw new DomainError("UNAUTHENTICATED", AccountReason.ACCOUNT_DISABLED, "This account has been disabled by a coordinator; ask them to enable it.");
    return { ...(await this.sessions.start(personId, origin)), person, roles: await this.repo.rolesOf(personId) };
  }

  private dummy(): Promise<string> {
    return this.dummyHash;
  }

  close(): Promise<void> {
    return this.throttle.close();
  }

  /**
   * The viewer for an `Authorization` value (or a bare token from a WebSocket's connectionParams):
   * anonymous without one, UNAUTHENTICATED for a bad or expired one. Roles come from the database,
   * cached briefly, so a revoked role stops working without waiting for the token to expire.
   */
  async viewerFor(authorization: string | null | undefined): Promise<Viewer> {
    if (!authorization) return anonymous;
    const token = /^bearer\s/i.test(authorization) ? TokenService.parseAuthorization(authorization) : authorization.trim();
    if (!token) return anonymous;
    const claims = await this.tokens.verify(token);
    await this.sessions.check(claims);
    const now = Date.now();
    let entry = this.roleCache.get(claims.personId);
    if (!entry || entry.until <= now) {
      // The session check above has already refused a token whose account does not exist.
      const roles = await this.roleLoads.load(claims.personId);
      entry = { roles: new Set(roles), until: now + this.roleCacheMs, mustEnrol: (await this.secondFactor?.mustEnrol(claims.personId, roles)) ?? false };
      if (this.roleCache.size > 50_000) this.roleCache.clear();
      this.roleCache.set(claims.personId, entry);
    }
    // Until the second factor its role requires is set up, the person holds no role and may only enrol.
    if (entry.mustEnrol) return { personId: claims.personId, roles: new Set(), tokenExpiresAt: claims.expiresAt, sessionId: claims.sessionId, mustEnrolTotp: true };
    return { personId: claims.personId, roles: entry.roles, tokenExpiresAt: claims.expiresAt, sessionId: claims.sessionId };
  }

  async me(viewer: Viewer): Promise<{ person: PersonRow; roles: Role[] }> {
    const v = requireViewer(viewer, true);
    const person = await this.repo.findById(v.personId);
    if (!person) throw unauthenticated("The account of this token no longer exists.");
    return { person, roles: await this.repo.rolesOf(v.personId) };
  }

  /**
   * The first coordinator of a deployment, from settings an operator controls (ZORGZAAM_COORDINATOR_*
   * or `npm run create-coordinator`): nobody exists yet who could grant the role. Creates the account
   * if the address has none (with the given password), and grants COORDINATOR to it either way; an
   * existing account keeps its password. Returns the person's id and whether the account was new.
   */
  async bootstrapCoordinator(input: { email: string; password: string; firstName: string; lastName: string; neighbourhoodId: string }): Promise<{ id: string; created: boolean }> {
    const address = parseInput(email, input.email, "email");
    let person = await this.repo.findByEmail(address);
    let created = false;
    if (!person) {
      person = (await this.register({ ...input, email: address })).person;
      created = true;
    }
    await this.repo.grantRole(person.id, "COORDINATOR", null, this.clock.now());
    this.rightsChanged(person.id);
    return { id: person.id, created };
  }

  /** The account that logs in with this email (any case), if there is one. */
  async findAccountByEmail(address: string): Promise<PersonRow | undefined> {
    const parsed = email.safeParse(address);
    return parsed.success ? this.repo.findByEmail(parsed.data) : undefined;
  }

  /** A coordinator grants a role; it takes effect at once on this instance, within the role cache's life on others. */
  async grantRole(viewer: Viewer, personId: string, role: Role, teamId?: string | null): Promise<Role[]> {
    const v = this.requireCoordinator(viewer);
    const person = await this.repo.findById(personId);
    if (!person || !person.email) throw notFound(PersonReason.PERSON_NOT_FOUND, "No account has this id.");
    if (role === "PROFESSIONAL") {
      if (!teamId || !this.places.team(teamId)) {
        throw badInput(PersonReason.TEAM_REQUIRED, "teamId: a professional belongs to an existing team", "teamId");
      }
      await this.repo.setTeam(personId, teamId);
    }
    await this.repo.grantRole(personId, role, v.personId, this.clock.now());
    this.rightsChanged(personId);
    return this.repo.rolesOf(personId);
  }

  async revokeRole(viewer: Viewer, personId: string, role: Role): Promise<Role[]> {
    const v = this.requireCoordinator(viewer);
    const person = await this.repo.findById(personId);
    if (!person) throw notFound(PersonReason.PERSON_NOT_FOUND, "No account has this id.");
    await this.repo.revokeRole(personId, role);
    if (role === "PROFESSIONAL") await this.repo.setTeam(personId, null);
    this.rightsChanged(personId);
    for (const listener of this.roleRevoked) await listener(personId, role, v.personId);
    return this.repo.rolesOf(personId);
  }

  /** Registers a listener for roles taken away (see RoleRevokedListener). */
  onRoleRevoked(listener: RoleRevokedListener): void {
    this.roleRevoked.push(listener);
  }

  /** Creates a person without an account, for whom someone else asks for help. */
  async createPersonHelped(viewer: AuthenticatedViewer, input: unknown, prefix: string): Promise<PersonRow> {
    const data = parseInput(PersonHelpedSchema, input, prefix);
    await this.places.requireNeighbourhood(data.neighbourhoodId, `${prefix}.neighbourhoodId`);
    const id = newId("Person");
    await this.repo.insert(
      {
        id,
        firstName: data.firstName,
        lastName: data.lastName,
        email: null,
        passwordHash: null,
        phone: data.phone ?? null,
        address: data.address,
        neighbourhoodId: data.neighbourhoodId,
        birthDate: data.birthDate ?? null,
        createdById: viewer.personId,
        teamId: null,
        roles: [],
      },
      this.clock.now(),
    );
    return (await this.repo.findById(id))!;
  }

  findById(id: string): Promise<PersonRow | undefined> {
    return this.repo.findById(id);
  }
  findByIds(ids: readonly string[]): Promise<PersonRow[]> {
    return this.repo.findByIds(ids);
  }
  async isEmpty(): Promise<boolean> {
    return (await this.repo.count()) === 0;
  }

  private requireCoordinator(viewer: Viewer): AuthenticatedViewer {
    const v = requireViewer(viewer);
    if (!hasRole(v, "COORDINATOR")) throw forbidden(SharedReason.COORDINATOR_ONLY, "Only a coordinator may do this.");
    return v;
  }
}
