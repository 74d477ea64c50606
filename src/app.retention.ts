import type { AppDatabase } from "./app.tables.js";
import { accessLogRetention } from "./modules/access-log/access-log.retention.js";
import { careRetention } from "./modules/care/care.retention.js";
import { escalationRetention } from "./modules/escalation/escalation.retention.js";
import { helpRequestPseudonymiser, helpRequestRetention } from "./modules/help-requests/help-request.retention.js";
import { personPseudonyms } from "./modules/people/person.retention.js";
import type { RetentionRule } from "./shared/retention.js";
import { buddyRetention } from "./modules/buddies/buddies.retention.js";

/** Terms per kind of data (RETENTION_* settings; the defaults and their reasons are in docs/retention.md). */
export interface RetentionSettings {
  /** Days after a help request closed (DONE, CANCELLED, EXPIRED) until it is pseudonymised. */
  helpRequestDays: number;
  /** Days after a care shift ended until its notes are cleared, and after a check-in or resolved load signal until it is deleted. */
  careDays: number;
  /** Years after an escalation case closed until it is pseudonymised. */
  escalationYears: number;
  /**
   * Years the access log is kept. Its own module prunes it (access-log.retention.ts): a chain of hashes
   * is cut only from the oldest entry on, leaving a verifiable anchor (docs/retention.md).
   */
  accessLogYears: number;
  /** Days after a buddy match ended until its check-ins are deleted and its notes cleared (default 730). */
  buddyDays?: number;
}

export const defaultRetentionSettings: RetentionSettings = { helpRequestDays: 730, careDays: 365, escalationYears: 15, accessLogYears: 5 };

/**
 * Every module's retention rule. Each module changes only its own tables in its `<module>.retention.ts`;
 * the people module gives the pseudonyms the others link to, so no rule names another module's table.
 */
export function retentionRules(db: AppDatabase, pseudonymKey: Buffer, settings: RetentionSettings): RetentionRule[] {
  const pseudonymise = personPseudonyms(db, pseudonymKey);
  const requests = helpRequestPseudonymiser(db, pseudonymise);
  return [
    helpRequestRetention(db, requests, settings.helpRequestDays),
    careRetention(db, settings.careDays),
    // A case's request goes with the case: it is ESCALATED, so the help requests' own term never reaches it.
    escalationRetention(db, pseudonymise, settings.escalationYears, requests),
    accessLogRetention(db, settings.accessLogYears),
    buddyRetention(db, settings.buddyDays ?? 730),
  ];
}
