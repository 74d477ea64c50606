import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";
import type { Role } from "../../db/tables.js";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound, unauthenticated } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { email, localDate, optionalText, parseInput, phone, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, anonymous, hasRole, requireViewer } from "../../shared/viewer.js";
import type { PlaceService } from "../places/place.service.js";
import { TokenService } from "./auth.tokens.js";
import type { PersonRepository, PersonRow } from "./person.repository.js";

/** Roles anyone may take on when registering; the others are granted by a coordinator. */
const SELF_SERVICE_ROLES: Role[] = ["RESIDENT", "VOLUNTEER", "MANTELZORGER"];

const RegisterSchema = z.object({
  email,
  password: z.string().min(10, "must be at least 10 characters").max(200, "must be at most 200 characters"),
  firstName: text(1, 80),
  lastName: text(1, 120),
  neighbourhoodId: z.string().min(1, "must not be empty"),
  phone: phone.nullish(),
  address: optionalText(300),
  birthDate: localDate.nullish(),
  roles: z.array(z.enum(["RESIDENT", "VOLUNTEER", "MANTELZORGER"])).max(3).nullish(),
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

/** How long an instance trusts the roles it last read for a person (a grant elsewhere shows within it). */
const ROLE_CACHE_MS = 30_000;

/**
 * Told when a coordinator takes a role away, before `revokeRole` returns: what the role gave (a
 * volunteer's matches and the contact details that come with them) ends with it.
 */
export type RoleRevokedListener = (personId: string, role: Role, actorId: string) => Promise<unknown>;

/** Accounts, roles and login, and people helped who have no account of their own. */
export class PersonService {
  private readonly roleCache = new Map<string, { roles: Set<Role>; until: number }>();
  private readonly roleRevoked: RoleRevokedListener[] = [];

  constructor(
    private readonly repo: PersonRepository,
    private readonly places: PlaceService,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
  ) {}

  async register(input: unknown): Promise<LoginResult> {
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
    if (!inserted) throw conflict("EMAIL_TAKEN", "input.email: an account with this email already exists");
    const person = (await this.repo.findById(id))!;
    return { ...(await this.tokens.issue(id)), person, roles };
  }

  async login(emailInput: string, password: string): Promise<LoginResult> {
    const address = email.safeParse(emailInput);
    const person = address.success ? await this.repo.findByEmail(address.data) : undefined;
    // Same answer for an unknown email and a wrong password: nobody learns who has an account.
    const ok = person?.passwordHash ? await verify(person.passwordHash, password).catch(() => false) : false;
    if (!person || !ok) throw unauthenticated("Email or password is wrong.");
    const roles = await this.repo.rolesOf(person.id);
    return { ...(await this.tokens.issue(person.id)), person, roles };
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
    const now = Date.now();
    let entry = this.roleCache.get(claims.personId);
    if (!entry || entry.until <= now) {
      const person = await this.repo.findById(claims.personId);
      if (!person) throw unauthenticated("The account of this token no longer exists.");
      entry = { roles: new Set(await this.repo.rolesOf(claims.personId)), until: now + ROLE_CACHE_MS };
      if (this.roleCache.size > 50_000) this.roleCache.clear();
      this.roleCache.set(claims.personId, entry);
    }
    return { personId: claims.personId, roles: entry.roles, tokenExpiresAt: claims.expiresAt };
  }

  async me(viewer: Viewer): Promise<{ person: PersonRow; roles: Role[] }> {
    const v = requireViewer(viewer);
    const person = await this.repo.findById(v.personId);
    if (!person) throw unauthenticated("The account of this token no longer exists.");
    return { person, roles: await this.repo.rolesOf(v.personId) };
  }

  /** A coordinator grants a role; it takes effect at the person's next login. */
  async grantRole(viewer: Viewer, personId: string, role: Role, teamId?: string | null): Promise<Role[]> {
    const v = this.requireCoordinator(viewer);
    const person = await this.repo.findById(personId);
    if (!person || !person.email) throw notFound("PERSON_NOT_FOUND", "No account has this id.");
    if (role === "PROFESSIONAL") {
      if (!teamId || !this.places.team(teamId)) {
        throw badInput("TEAM_REQUIRED", "teamId: a professional belongs to an existing team", "teamId");
      }
      await this.repo.setTeam(personId, teamId);
    }
    await this.repo.grantRole(personId, role, v.personId, this.clock.now());
    this.roleCache.delete(personId);
    return this.repo.rolesOf(personId);
  }

  async revokeRole(viewer: Viewer, personId: string, role: Role): Promise<Role[]> {
    const v = this.requireCoordinator(viewer);
    const person = await this.repo.findById(personId);
    if (!person) throw notFound("PERSON_NOT_FOUND", "No account has this id.");
    await this.repo.revokeRole(personId, role);
    if (role === "PROFESSIONAL") await this.repo.setTeam(personId, null);
    this.roleCache.delete(personId);
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
    if (!hasRole(v, "COORDINATOR")) throw forbidden("COORDINATOR_ONLY", "Only a coordinator may do this.");
    return v;
  }
}
