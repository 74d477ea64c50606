import { Arg, Ctx, ID, Int, Mutation, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { AccountService } from "./account.service.js";

/** Passwords (change, reset by e-mail) and disabling accounts. */
@Resolver()
export class AccountResolver {
  constructor(private readonly accounts: AccountService) {}

  @Mutation(() => Int, {
    description:
      "Changes your password (the current one is required: PASSWORD_WRONG). Every other session of yours ends; this one stays. Returns how many ended. PASSWORD_TOO_WEAK for a password that is too short, too long or made of your own e-mail address or name.",
  })
  async changePassword(
    @Ctx() ctx: Context,
    @Arg("oldPassword", () => String, { description: "Your current password." }) oldPassword: string,
    @Arg("newPassword", () => String, { description: "The new password: 10 to 200 characters, not containing your e-mail address or name." }) newPassword: string,
  ): Promise<number> {
    return this.accounts.changePassword(ctx.viewer, oldPassword, newPassword);
  }

  @Mutation(() => Boolean, {
    description:
      "Mails a single-use link to set a new password, when an account has this address. Always answers true, whether or not one does (nobody learns who has an account); past PASSWORD_RESET_MAILS_PER_HOUR for an address nothing more is sent.",
  })
  async requestPasswordReset(@Ctx() ctx: Context, @Arg("email", () => String, { description: "The account's e-mail address." }) email: string): Promise<boolean> {
    await this.accounts.requestPasswordReset(email, ctx.address);
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      "Sets a new password with the token from a reset mail and ends every session of the account. The token works once (RESET_TOKEN_USED), until it expires (RESET_TOKEN_EXPIRED); RESET_TOKEN_INVALID for anything else.",
  })
  async resetPassword(
    @Arg("token", () => String, { description: "The token from the reset link." }) token: string,
    @Arg("newPassword", () => String, { description: "The new password: 10 to 200 characters, not containing your e-mail address or name." }) newPassword: string,
  ): Promise<boolean> {
    await this.accounts.resetPassword(token, newPassword);
    return true;
  }

  @Mutation(() => Boolean, {
    description:
      "Coordinator only: disables an account. Its sessions end at once and it cannot log in (ACCOUNT_DISABLED). Not yourself, nor another coordinator (CANNOT_DISABLE_ACCOUNT). Returns true.",
  })
  async disableAccount(@Ctx() ctx: Context, @Arg("personId", () => ID, { description: "The account." }) personId: string): Promise<boolean> {
    return this.accounts.setDisabled(ctx.viewer, personId, true);
  }

  @Mutation(() => Boolean, { description: "Coordinator only: enables a disabled account again (its person logs in anew). Returns false (not disabled)." })
  async enableAccount(@Ctx() ctx: Context, @Arg("personId", () => ID, { description: "The account." }) personId: string): Promise<boolean> {
    return this.accounts.setDisabled(ctx.viewer, personId, false);
  }
}
