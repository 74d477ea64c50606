import { addLabels, type LabelCatalogue, type Language } from "../shared/i18n.js";
import { en } from "./labels.en.js";
import { nl } from "./labels.nl.js";

export type { LabelCatalogue } from "../shared/i18n.js";

/** Every language's enum labels; a key in one must be in the other (test/contract/i18n-parity.test.ts). */
export const LABELS: Record<Language, LabelCatalogue> = { nl, en };

for (const [language, catalogue] of Object.entries(LABELS)) addLabels(language as Language, catalogue);
