import { conflict } from "../../shared/errors.js";
import { HelpChoiceReason as R } from "./help-request.choice.errors.js";
import type { HelpRequestRow } from "./help-request.repository.js";

/**
 * A request in choice mode is matched only by the asking side's pick: accepting it (or an organisation
 * taking it on) would take the choice away from the person helped.
 */
export function requireNotChoiceMode(row: Pick<HelpRequestRow, "choiceMode">): void {
  if (row.choiceMode) {
    throw conflict(R.HELP_REQUEST_CHOICE_MODE, "The requester chooses who helps with this request: offer to help (offerToHelp) instead of accepting it.");
  }
}
