import { addLabels, type Language } from "../shared/i18n.js";
import { en } from "./labels.en.js";
import { nl } from "./labels.nl.js";

/** Labels by enum name and value: `{ Urgency: { URGENT: "Urgent" } }`. */
export type LabelCatalogue = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Every language's enum labels; a key in one must be in the other (test/contract/i18n-parity.test.ts). */
export const LABELS: Record<Language, LabelCatalogue> = { nl, en };

for (const [language, catalogue] of Object.entries(LABELS)) addLabels(language as Language, catalogue);
