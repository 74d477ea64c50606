import { Arg, Ctx, Extensions, Field, Mutation, ObjectType, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { TotpService } from "./totp.service.js";

@ObjectType("TotpEnrolment", { description: "A second factor being set up: add it to an authenticator app, then confirmTotp with its first code." })
export class TotpEnrolment {
  @Field(() => String, { description: "The secret (base32), to type into an authenticator app." })
  secret!: string;
  @Field(() => String, { description: "The same as an otpauth:// URI, for a QR code." })
  otpauthUri!: string;
}

/** Setting up a second factor (TOTP) for professionals and coordinators. */
@Resolver()
export class TotpResolver {
  constructor(private readonly totp: TotpService) {}

  @Mutation(() => TotpEnrolment, {
    description:
      "Professionals and coordinators: starts setting up a second factor (TOTP_NOT_AVAILABLE for other roles, TOTP_ALREADY_ENABLED once confirmed). Asking again before confirming gives a new secret. Takes the current password (PASSWORD_WRONG otherwise).",
  })
  async enrolTotp(
    @Ctx() ctx: Context,
    @Arg("password", () => String, { description: "Your current password: a token alone does not set up a second factor." }) password: string,
  ): Promise<TotpEnrolment> {
    return this.totp.enrol(ctx.viewer, password);
  }

  @Extensions({ maxItems: 10 })
  @Mutation(() => [String], {
    description:
      "Confirms the second factor with a first code from the app; from then on login takes a code too. Returns 10 recovery codes, shown this once: each works once instead of a code.",
  })
  async confirmTotp(@Ctx() ctx: Context, @Arg("code", () => String, { description: "The six-digit code the app shows now." }) code: string): Promise<string[]> {
    return this.totp.confirm(ctx.viewer, code);
  }
}
