import { defineReasons } from "../../shared/errors.js";

/** Reasons the data-rights module reports in `extensions.reason` (see docs/error-codes.md). */
export const DataRightsReason = defineReasons(["DATA_EXPORT_NOT_FOUND", "DATA_EXPORT_SUBJECT_NOT_FOUND"]);
export type DataRightsReason = keyof typeof DataRightsReason;

declare module "../../shared/errors.js" {
  interface ReasonRegistry extends Record<DataRightsReason, true> {}
}
