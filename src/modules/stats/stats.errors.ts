import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/**
 * Every reason the stats module reports in `extensions.reason` (see docs/error-codes.md), including the
 * platform-wide ones it throws itself (INVALID_INPUT, AREA_NOT_FOUND, ...).
 */
export const StatsReason = defineReasons(["INVALID_STATS_PERIOD", "SCOPE_REQUIRED", "INVALID_INPUT", "INVALID_CURSOR", "AREA_NOT_FOUND"]);
export type StatsReason = keyof typeof StatsReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<StatsReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const StatsMessagesNl = dutchMessages({
  "{field}: not a cursor of this report (same period and neighbourhoods)": "{field}: geen cursor van dit overzicht (zelfde periode en buurten)",
  "Escalation figures need an API key with the stats:read scope, or a coordinator's login.":
    "Voor escalatiecijfers is een API-sleutel met de scope stats:read nodig, of de login van een coördinator.",
  "to: must be a month as YYYY-MM": "to: moet een maand zijn als JJJJ-MM",
  "from: must be a month as YYYY-MM": "from: moet een maand zijn als JJJJ-MM",
  "from: must not be after to": "from: mag niet na to liggen",
  "to: a period spans at most {max} months": "to: een periode beslaat hooguit {max} maanden",
  "neighbourhoodIds: at most 200": "neighbourhoodIds: hooguit 200",
  "No area has this id.": "Er is geen gebied met dit id.",
  "year: must be a year as YYYY": "year: moet een jaar zijn als JJJJ",
});
