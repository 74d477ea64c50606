import { badInput } from "../../shared/errors.js";
import { AccountReason } from "./account.errors.js";

/** Bounds of a password: long enough to resist guessing, short enough that hashing it costs nothing extra. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** What a password must not contain: the person's own data. */
export interface OwnData {
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

/**
 * Checks a new password: its length, and that it is not built from the person's own e-mail address or
 * names (what someone who knows them would try first). PASSWORD_TOO_WEAK names the rule that failed.
 */
export function checkPassword(password: unknown, own: OwnData, field = "newPassword"): string {
  if (typeof password !== "string") throw badInput(AccountReason.PASSWORD_TOO_WEAK, "{field}: must be a string", field, { field });
  if (password.length < PASSWORD_MIN) throw badInput(AccountReason.PASSWORD_TOO_WEAK, "{field}: must be at least {min} characters", field, { field, min: PASSWORD_MIN });
  if (password.length > PASSWORD_MAX) throw badInput(AccountReason.PASSWORD_TOO_WEAK, "{field}: must be at most {max} characters", field, { field, max: PASSWORD_MAX });
  const lower = password.toLowerCase();
  const email = own.email?.toLowerCase() ?? "";
  const parts = [email, email.split("@")[0], own.firstName, own.lastName].filter((p): p is string => !!p && p.length >= 3).map((p) => p.toLowerCase());
  if (parts.some((p) => lower.includes(p))) {
    throw badInput(AccountReason.PASSWORD_TOO_WEAK, "{field}: must not contain your e-mail address or your name", field, { field });
  }
  if (new Set(lower).size < 4) throw badInput(AccountReason.PASSWORD_TOO_WEAK, "{field}: must use more than a few different characters", field, { field });
  return password;
}
