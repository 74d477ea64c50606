/**
 * The narrow seam between the data-rights module and every module that holds personal data, for the
 * rights to erasure (GDPR art. 17) and restriction (art. 18). Each module contributes one eraser from a
 * `<module>.erasure.ts` file in its own folder; the composition root (src/app.erasers.ts) lists them, so
 * data-rights never names another module's table.
 */
export interface PersonalDataEraser {
  /** The key of this module's part in the erasure record (a section of docs/data-erasure.md). */
  readonly section: string;
  /**
   * What must happen before this module's data about the person may be erased (an open match, an open
   * case, ...): stable reasons from DataRightsReason, each with a count. Empty when nothing blocks.
   */
  blockers?(personId: string): Promise<ErasureBlocker[]>;
  /**
   * Erases or pseudonymises what may go and restricts what must be kept. Called inside the one
   * transaction of the whole erasure, so it writes through the same database and never commits alone.
   */
  erase(personId: string): Promise<ErasureSection>;
  /**
   * What must follow once the erasure has committed, outside its transaction: effects that are no
   * rows, e.g. dropping a cached credential so it stops working at once. A failure here is reported,
   * not undone: the erasure stands.
   */
  afterErasure?(personId: string): Promise<void>;
}

/** Why an erasure cannot happen yet. */
export interface ErasureBlocker {
  /** A stable reason (docs/error-codes.md), e.g. ERASURE_BLOCKED_OPEN_MATCH. */
  reason: string;
  /** How many things block for this reason. */
  count: number;
}

/** One module's account of an erasure: what went, what is kept restricted and why. */
export interface ErasureSection {
  /** What was erased or irreversibly pseudonymised, each as "<what>: <count>". */
  erased: string[];
  /** What is kept under a public task or legal duty and hidden from all but those who keep it. */
  restricted: ErasureRestriction[];
}

/** A kept part of a person's data, with the legal reason it is kept. */
export interface ErasureRestriction {
  /** What is kept, e.g. "escalation cases". */
  what: string;
  /** How many rows. */
  count: number;
  /** The legal duty it is kept under, e.g. "Jeugdwet/Wmo 2015 dossierplicht". */
  legalBasis: string;
  /** Who may still read it, e.g. "the case's teams". */
  keptFor: string;
  /**
   * The ids of the kept objects the holding module hides from all but `keptFor` (a case's id); they are
   * written to the restrictions and not to the record. Absent when the module restricts by itself.
   */
  objectIds?: string[];
}

/** A line of the erased list: what, and how many rows. */
export const erasedLine = (what: string, count: number): string => `${what}: ${count}`;
