import { z } from "zod";
import { SharedReason, badInput } from "./errors.js";

/**
 * Validates input at the service edge. The first problem becomes a BAD_USER_INPUT error whose
 * message starts with the field path (e.g. `input.title: ...`), so a client can point at it.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = "input"): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
  // The problem is a schema's own English wording (a key of the catalogues) or zod's, which stays English.
  throw badInput(SharedReason.INVALID_INPUT, "{field}: {problem}", path, { field: path, problem: issue.message });
}

/**
 * A control character U+0000-U+001F or U+007F other than tab, line feed and carriage return, written as Unicode's
 * Cc less those and the C1 range (U+0080-U+009F) so that the pattern itself holds no control characters.
 */
const CONTROL = /(?![\t\n\r\u0080-\u009F])\p{Cc}/u;

/** Trimmed text with a length range; rejects control characters other than newlines and tabs. */
export const text = (min: number, max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .pipe(
      z
        .string()
        .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
        .max(max, `must be at most ${max} characters`)
        .refine((s) => !CONTROL.test(s), "must not contain control characters"),
    );

export const optionalText = (max: number) =>
  text(0, max)
    .nullish()
    .transform((s) => (s ? s : null));

export const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "is not a real date");

export const email = z.string().trim().toLowerCase().max(254, "must be at most 254 characters").pipe(z.email("must be an email address"));

export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()-]{6,20}$/, "must be a phone number (digits, spaces, +, -, parentheses)");

/** Whole years between a YYYY-MM-DD birth date and `at`. */
export function ageOn(birthDate: string, at: Date): number {
  const [y, m, d] = birthDate.split("-").map(Number);
  let age = at.getUTCFullYear() - y;
  const before = at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d);
  if (before) age -= 1;
  return age;
}
