import type { AppDatabase } from "./app.tables.js";
import type { Clock } from "./shared/clock.js";
import { accessLogExporter } from "./modules/access-log/access-log.export.js";
import { apiClientEraser } from "./modules/api-clients/api-client.erasure.js";
import { careEraser } from "./modules/care/care.erasure.js";
import type { PersonalDataEraser } from "./modules/data-rights/data-erasure.types.js";
import { dataRightsEraser } from "./modules/data-rights/data-rights.export.js";
import { escalationEraser } from "./modules/escalation/escalation.erasure.js";
import { caseWorkEraser } from "./modules/escalation/case-work.erasure.js";
import { helpRequestEraser } from "./modules/help-requests/help-request.erasure.js";
import { helpRequestAfterEraser } from "./modules/help-requests/help-request.after.erasure.js";
import { initiativeEraser } from "./modules/initiatives/initiative.erasure.js";
import { notificationEraser } from "./modules/notifications/notification.erasure.js";
import { personEraser } from "./modules/people/person.erasure.js";
import { volunteerEraser } from "./modules/volunteers/volunteer.erasure.js";
import { offerEraser } from "./modules/offers/offer.erasure.js";
import { buddyEraser } from "./modules/buddies/buddies.erasure.js";
import { statsEraser } from "./modules/stats/stats.erasure.js";

/** The legal duty the access log is kept under. */
export const ACCESS_LOG_LEGAL_BASIS = "NEN 7513 logging";

/** What an erasure sets off beyond its rows, once committed (given by the services it reaches). */
export interface ErasureEffects {
  /** The keys of these partner apps were revoked: drop them from the key cache, close their sockets. */
  apiKeysRevoked(clientIds: string[]): void;
}

/**
 * Every module's part of an erasure, in the order they run inside the one transaction. Each module
 * erases its own tables in its `<module>.erasure.ts`; only here are they put together, so the
 * data-rights module names no other module's table. The person row goes last: the others still find
 * it while they run.
 *
 * The access log is kept whole (it is the record of who read the person's data) and reported as
 * restricted: it is read only through the access-log module, by the person (who no longer has an
 * account) and by coordinators auditing reads. Its count is taken through its own exporter, the
 * narrow function the access-log module already offers, so this file writes nothing to its tables.
 */
export function personalDataErasers(db: AppDatabase, clock: Clock, effects: ErasureEffects): PersonalDataEraser[] {
  const accessLog = accessLogExporter(db, async () => new Map());
  return [
    helpRequestEraser(db),
    offerEraser(db),
    helpRequestAfterEraser(db),
    careEraser(db, clock),
    escalationEraser(db),
    caseWorkEraser(db),
    volunteerEraser(db),
    initiativeEraser(db),
    buddyEraser(db),
    notificationEraser(db),
    dataRightsEraser(db),
    apiClientEraser(db, clock, effects.apiKeysRevoked),
    statsEraser(db, clock),
    {
      section: "accessLog",
      async erase(personId) {
        const entries = (await accessLog.export(personId)) as unknown[];
        return {
          erased: [],
          restricted:
            entries.length === 0
              ? []
              : [{ what: "records of who read your data", count: entries.length, legalBasis: ACCESS_LOG_LEGAL_BASIS, keptFor: "coordinators auditing reads" }],
        };
      },
    },
    personEraser(db, clock),
  ];
}
