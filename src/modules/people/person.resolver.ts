import { Arg, Ctx, Extensions, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { Role as RoleName } from "../../shared/viewer.js";
import type { PlaceService } from "../places/place.service.js";
import type { Neighbourhood } from "../places/place.types.js";
import type { PersonRow } from "./person.repository.js";
import type { PersonService } from "./person.service.js";
import { RegisterInput } from "./person.input.js";
import { AuthPayload, Me, Role } from "./person.types.js";

@Resolver(() => Me)
export class PersonResolver {
  constructor(
    private readonly people: PersonService,
    private readonly places: PlaceService,
  ) {}

  @Query(() => Me, { description: "The logged-in account. UNAUTHENTICATED without a valid token." })
  async me(@Ctx() ctx: Context): Promise<Me> {
    const { person, roles } = await this.people.me(ctx.viewer);
    return this.toMe(person, roles);
  }

  @Mutation(() => AuthPayload, { description: "Creates an account and logs it in." })
  async register(@Ctx() ctx: Context, @Arg("input", () => RegisterInput, { description: "The new account." }) input: RegisterInput): Promise<AuthPayload> {
    const r = await this.people.register(input, { address: ctx.address, userAgent: ctx.userAgent });
    return { token: r.token, expiresAt: r.expiresAt, me: this.toMe(r.person, r.roles) };
  }

  @Mutation(() => AuthPayload, { description: "Logs in with email and password." })
  async login(
    @Ctx() ctx: Context,
    @Arg("email", () => String, { description: "Email address of the account." }) email: string,
    @Arg("password", () => String, { description: "Password of the account." }) password: string,
  ): Promise<AuthPayload> {
    const r = await this.people.login(email, password, ctx.address, ctx.userAgent);
    return { token: r.token, expiresAt: r.expiresAt, me: this.toMe(r.person, r.roles) };
  }

  @Mutation(() => AuthPayload, {
    description:
      "The second step of a login for an account with a second factor: `login` refused with TOTP_REQUIRED and gave `extensions.challenge`; give it with the app's code or a recovery code. TOTP_CODE_WRONG, TOTP_CODE_REUSED, TOTP_THROTTLED, TOTP_CHALLENGE_INVALID.",
  })
  async completeLogin(
    @Arg("challenge", () => String, { description: "The challenge from login's TOTP_REQUIRED error (valid five minutes, once)." }) challenge: string,
    @Arg("code", () => String, { description: "The six-digit code from the authenticator app, or a recovery code." }) code: string,
  ): Promise<AuthPayload> {
    const r = await this.people.completeLogin(challenge, code);
    return { token: r.token, expiresAt: r.expiresAt, me: this.toMe(r.person, r.roles) };
  }

  @Extensions({ maxItems: 10 })
  @Mutation(() => [Role], { description: "Coordinator only: grants a role (a professional needs a team). Returns the person's roles." })
  async grantRole(
    @Ctx() ctx: Context,
    @Arg("personId", () => ID, { description: "The account." }) personId: string,
    @Arg("role", () => Role, { description: "The role to grant." }) role: Role,
    @Arg("teamId", () => ID, { nullable: true, description: "For PROFESSIONAL: the team they join." }) teamId?: string | null,
  ): Promise<Role[]> {
    return (await this.people.grantRole(ctx.viewer, personId, role as RoleName, teamId)) as Role[];
  }

  @Extensions({ maxItems: 10 })
  @Mutation(() => [Role], { description: "Coordinator only: takes a role away. Returns the person's roles." })
  async revokeRole(
    @Ctx() ctx: Context,
    @Arg("personId", () => ID, { description: "The account." }) personId: string,
    @Arg("role", () => Role, { description: "The role to take away." }) role: Role,
  ): Promise<Role[]> {
    return (await this.people.revokeRole(ctx.viewer, personId, role as RoleName)) as Role[];
  }

  private toMe(p: PersonRow, roles: RoleName[]): Me {
    return {
      person: { id: p.id, firstName: p.firstName },
      lastName: p.lastName,
      email: p.email,
      phone: p.phone,
      address: p.address,
      birthDate: p.birthDate,
      neighbourhood: p.neighbourhoodId ? ((this.places.neighbourhood(p.neighbourhoodId) as Neighbourhood) ?? null) : null,
      roles: roles as Role[],
      teamId: p.teamId,
    };
  }
}
