import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons the volunteers module reports in `extensions.reason` (see docs/error-codes.md). */
export const VolunteerReason = defineReasons(["VOLUNTEER_ONLY", "VOG_ISSUED_IN_FUTURE", "VOG_TERM_ENDED"]);
export type VolunteerReason = keyof typeof VolunteerReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<VolunteerReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const VolunteersMessagesNl = dutchMessages({
  "{field}: a VOG cannot be issued after today ({today})": "{field}: een VOG kan niet na vandaag ({today}) zijn afgegeven",
  "Only a coordinator may verify a VOG.": "Alleen een coördinator mag een VOG controleren.",
  "{field}: a VOG issued then stopped counting on {expiresOn}; a new one is needed": "{field}: een VOG van die datum telt sinds {expiresOn} niet meer; er is een nieuwe nodig",
  "Only a coordinator may see the VOGs awaiting review.": "Alleen een coördinator mag de VOG's zien die op controle wachten.",
  "No person has this id.": "Er is geen persoon met dit id.",
  "Only a volunteer may do this.": "Alleen een vrijwilliger mag dit doen.",
  "must be a time as HH:MM": "moet een tijd zijn als UU:MM",
  "at most 50 categories": "hooguit 50 categorieën",
  "at most 100 neighbourhoods": "hooguit 100 buurten",
  "at most 20 languages": "hooguit 20 talen",
  "must be a language code such as nl, en, ar, tr, pl": "moet een taalcode zijn, zoals nl, en, ar, tr, pl",
  "at most 50 slots": "hooguit 50 tijdvakken",
  "must be 1 (Monday) to 7 (Sunday)": "moet 1 (maandag) tot 7 (zondag) zijn",
  "must end after it starts": "moet eindigen nadat het begint",
});
