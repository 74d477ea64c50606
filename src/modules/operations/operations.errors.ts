import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons the operations module reports in `extensions.reason` (see docs/error-codes.md). */
export const OperationsReason = defineReasons(["CLOCK_CONTROL_DISABLED"]);
export type OperationsReason = keyof typeof OperationsReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<OperationsReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const OperationsMessagesNl = dutchMessages({
  "hours: must be between 0 and 8784": "hours: moet tussen 0 en 8784 liggen",
  "Clock control is off on this server (CLOCK_CONTROL=true enables it outside production).":
    "Het verzetten van de klok staat uit op deze server (CLOCK_CONTROL=true zet het aan buiten productie).",
  "Only a coordinator may move the clock or run the sweeps.": "Alleen een coördinator mag de klok verzetten of de periodieke taken draaien.",
  "Only a coordinator may read what retention did.": "Alleen een coördinator mag lezen wat de bewaartermijnen hebben opgeruimd.",
});
