import { defineReasons } from "../../shared/errors.js";
import { dutchMessages } from "../../shared/i18n.js";

/** Reasons the places module reports in `extensions.reason` (see docs/error-codes.md). */
export const PlaceReason = defineReasons(["UNKNOWN_AREA", "UNKNOWN_NEIGHBOURHOOD", "UNKNOWN_CATEGORY", "TEAM_EXISTS", "AREA_NOT_FOUND"]);
export type PlaceReason = keyof typeof PlaceReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<PlaceReason, true> {}
}

/**
 * Dutch wording of the messages this module gives, keyed by the English template its throw sites
 * write (ICU placeholders alike). test/contract/i18n-parity.test.ts checks that the two match.
 */
export const PlacesMessagesNl = dutchMessages({
  "No area has this id.": "Er is geen gebied met dit id.",
  "input.areaId: no area has this id": "input.areaId: er is geen gebied met dit id",
  "areaId: no area has this id": "areaId: er is geen gebied met dit id",
  "kind: this area has a {kind} already": "kind: dit gebied heeft al een {kind}",
  "Only a coordinator may change areas, neighbourhoods and teams.": "Alleen een coördinator mag gebieden, buurten en teams wijzigen.",
  "{field}: no neighbourhood has this id": "{field}: er is geen buurt met dit id",
  "{field}: no help category has this id": "{field}: er is geen hulpcategorie met dit id",
  "Only a coordinator may decide which categories need a VOG.": "Alleen een coördinator mag bepalen voor welke categorieën een VOG nodig is.",
});
