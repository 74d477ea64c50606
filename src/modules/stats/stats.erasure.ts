import type { Database } from "../../db/client.js";
import type { Clock } from "../../shared/clock.js";
import type { PersonalDataEraser } from "../data-rights/data-erasure.types.js";
import type { EscalationTables } from "../escalation/escalation.tables.js";
import type { HelpRequestTables } from "../help-requests/help-request.tables.js";
import type { InitiativeTables } from "../initiatives/initiative.tables.js";
import { StatsCellsRepository } from "./stats.cells.repository.js";
import type { StatsTables } from "./stats.tables.js";

/**
 * The statistics' part of an erasure. The stored cells hold no personal data, but they were computed
 * from rows the erasure changes (an account without an e-mail address no longer counts as established):
 * every stored cell is dropped in the erasure's transaction and computed again from what remains.
 */
export function statsEraser(db: Database<StatsTables & HelpRequestTables & EscalationTables & InitiativeTables>, clock: Clock): PersonalDataEraser {
  const repo = new StatsCellsRepository(db);
  return {
    section: "statistics",
    async erase() {
      await db.transaction((tx) => repo.dropAll(clock.now(), tx));
      return { erased: [], restricted: [] };
    },
  };
}
