import { type Config, defaultConfig } from "../../config/env.js";
import type { Urgency } from "../help-requests/help-request.tables.js";
import type { EscalationTrigger } from "./escalation.tables.js";

export interface EscalationSettings {
  /** How long a request may stay OPEN, per urgency, before the safety net catches it. */
  openLimitHours: Record<Urgency, number>;
  /** After this many releases or unmatched reopenings the request goes to a team. */
  releaseLimit: number;
  /** The triggers that are on (all by default); a municipality can switch each one off. */
  triggers: ReadonlySet<EscalationTrigger>;
  /** Target time for a team to acknowledge a new case, per urgency. */
  acknowledgeHours: Record<Urgency, number>;
  /** Target time from a case's creation to its first contact moment, per urgency (optional: defaults from the config schema). */
  firstContactHours?: Record<Urgency, number>;
  /** Target time from a case's creation to its closing, per urgency. */
  closeHours?: Record<Urgency, number>;
  /** Recorded when a SAFETY flag lets details go to the team without consent. */
  safetyLegalBasis: string;
}

/**
 * The legal basis a SAFETY flag rests on. Not a setting: the law names it, not the municipality, so
 * it is the same wherever Zorgzaam runs.
 */
export const SAFETY_LEGAL_BASIS = "AVG art. 9 lid 2 sub c (vitaal belang) and Wmo 2015 art. 5.2.6: a safety concern was flagged; shared without consent to protect the person";

/** The parts of the config the safety net reads. */
export type EscalationConfig = Pick<Config, "ESCALATE_OPEN_AFTER_HOURS" | "ESCALATE_AFTER_RELEASES" | "ESCALATION_TRIGGERS" | "ACKNOWLEDGE_WITHIN_HOURS"> &
  Partial<Pick<Config, "FIRST_CONTACT_WITHIN_HOURS" | "CLOSE_WITHIN_HOURS">>;

/**
 * The safety net's settings from the parsed config. Without one (seeds, benchmarks) they are the config
 * schema's defaults: src/config/env.ts is the one place a default is written.
 */
export function escalationSettings(config: EscalationConfig = defaultConfig()): EscalationSettings {
  return {
    openLimitHours: config.ESCALATE_OPEN_AFTER_HOURS,
    releaseLimit: config.ESCALATE_AFTER_RELEASES,
    triggers: new Set(config.ESCALATION_TRIGGERS),
    acknowledgeHours: config.ACKNOWLEDGE_WITHIN_HOURS,
    firstContactHours: config.FIRST_CONTACT_WITHIN_HOURS ?? defaultConfig().FIRST_CONTACT_WITHIN_HOURS,
    closeHours: config.CLOSE_WITHIN_HOURS ?? defaultConfig().CLOSE_WITHIN_HOURS,
    safetyLegalBasis: SAFETY_LEGAL_BASIS,
  };
}
