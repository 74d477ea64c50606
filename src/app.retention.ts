import type { AppDatabase } from "./app.tables.js";
import { escalationRetention } from "./modules/escalation/escalation.retention.js";
import { helpRequestRetention } from "./modules/help-requests/help-request.retention.js";
import { personPseudonyms } from "./modules/people/person.retention.js";
import type { RetentionRule } from "./shared/retention.js";

/** Terms per kind of data (RETENTION_* settings; the defaults and their reasons are in docs/retention.md). */
export interface RetentionSettings {
  /** Days after a help request closed (DONE, CANCELLED, EXPIRED) until it is pseudonymised. */
  helpRequestDays: number;
  /** Years after an escalation case closed until it is pseudonymised. */
  escalationYears: number;
}

export const defaultRetentionSettings: RetentionSettings = { helpRequestDays: 730, escalationYears: 15 };

/**
 * Every module's retention rule. Each module changes only its own tables in its `<module>.retention.ts`;
 * the people module gives the pseudonyms the others link to, so no rule names another module's table.
 */
export function retentionRules(db: AppDatabase, pseudonymKey: Buffer, settings: RetentionSettings): RetentionRule[] {
  const pseudonymise = personPseudonyms(db, pseudonymKey);
  return [helpRequestRetention(db, pseudonymise, settings.helpRequestDays), escalationRetention(db, pseudonymise, settings.escalationYears)];
}
