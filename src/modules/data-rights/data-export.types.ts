/**
 * The narrow seam between the data-rights module and every module that holds personal data. Each
 * module contributes one exporter from a `<module>.export.ts` file in its own folder; the composition
 * root (src/app.exports.ts) lists them, so data-rights never names another module's table.
 */
export interface PersonalDataExporter {
  /** The key of this module's part in the export file (a section of docs/data-export.md). */
  readonly section: string;
  /**
   * The tables (their keys in src/app.tables.ts) whose rows about a person this exporter reads.
   * test/contract/export-coverage.test.ts demands every table holding personal data is named here
   * by some exporter, or excluded with a reason.
   */
  readonly tables: readonly string[];
  /** Everything this module holds about the person, as plain JSON (ISO dates, no other person's details). */
  export(personId: string): Promise<unknown>;
}

/** A date as the export writes it: an ISO-8601 UTC instant, or null. */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
