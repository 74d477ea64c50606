import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons the access-log module reports in `extensions.reason` (see docs/error-codes.md). */
export const AccessLogReason = defineReasons(["ACCESS_LOG_OF_OTHERS", "ACCESS_LOG_VERIFY_COORDINATOR_ONLY"]);
export type AccessLogReason = keyof typeof AccessLogReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<AccessLogReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const AccessLogMessagesNl = dutchMessages({
  "You can only see who read your own data.": "Je kunt alleen zien wie jouw eigen gegevens heeft gelezen.",
  "Only a coordinator can verify the access log.": "Alleen een coördinator kan het inzagelog controleren.",
});
