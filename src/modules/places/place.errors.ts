import { defineReasons } from "../../shared/errors.js";

/** Reasons the places module reports in `extensions.reason` (see docs/error-codes.md). */
export const PlaceReason = defineReasons(["UNKNOWN_AREA", "UNKNOWN_NEIGHBOURHOOD", "UNKNOWN_CATEGORY", "TEAM_EXISTS", "AREA_NOT_FOUND"]);
export type PlaceReason = keyof typeof PlaceReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<PlaceReason, true> {}
}
