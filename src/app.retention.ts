import type { AppDatabase } from "./app.tables.js";
import { accessLogRetention } from "./modules/access-log/access-log.retention.js";
import { careRetention } from "./modules/care/care.retention.js";
import { escalationRetention } from "./modules/escalation/escalation.retention.js";
import { caseWorkRetention } from "./modules/escalation/case-work.retention.js";
import type { DocumentStore } from "./modules/escalation/case-document.store.js";
import { helpRequestPseudonymiser, helpRequestRetention } from "./modules/help-requests/help-request.retention.js";
import { helpRequestAfterRetention } from "./modules/help-requests/help-request.after.retention.js";
import { personPseudonyms } from "./modules/people/person.retention.js";
import type { RetentionRule } from "./shared/retention.js";
import { offerRetention } from "./modules/offers/offer.retention.js";
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
export function retentionRules(db: AppDatabase, pseudonymKey: Buffer, settings: RetentionSettings, documents: DocumentStore | null = null): RetentionRule[] {
  const pseudonymise = personPseudonyms(db, pseudonymKey);
  const requests = helpRequestPseudonymiser(db, pseudonymise);
  return [
    // Before the requests' own rule: it goes with the request's term, by the request's status and time.
    helpRequestAfterRetention(db, settings.helpRequestDays),
    helpRequestRetention(db, requests, settings.helpRequestDays),
    // Asks and withdrawn offers follow the help requests' term (docs/retention.md).
    offerRetention(db, settings.helpRequestDays),
    careRetention(db, settings.careDays),
    // A case's request goes with the case: it is ESCALATED, so the help requests' own term never reaches it.
    escalationRetention(db, pseudonymise, settings.escalationYears, requests),
    // A case's notes, contact moments and documents go at the same term as the case's names.
    caseWorkRetention(db, settings.escalationYears, documents),
    accessLogRetention(db, settings.accessLogYears),
    buddyRetention(db, settings.buddyDays ?? 730),
  ];
}
