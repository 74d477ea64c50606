import i18next, { type i18n } from "i18next";
import ICU from "i18next-icu";
import { DEFAULT_LANGUAGE, type Language } from "./notification.kinds.js";
import { en } from "./messages/en.js";
import { nl } from "./messages/nl.js";
import type { MessageCatalogue } from "./messages/catalogue.js";

export type { MessageCatalogue } from "./messages/catalogue.js";

/** Every language's catalogue; a key must exist in all of them (test/unit/notification-messages.test.ts). */
export const CATALOGUES: Record<Language, MessageCatalogue> = { nl, en };

/**
 * Notification texts through i18next with ICU MessageFormat (plurals, selects), one instance for the
 * process, initialised synchronously from the catalogues above. A key missing in a language is a
 * mistake the unit test catches; at run time it falls back to Dutch rather than showing a key.
 */
export class Messages {
  private readonly i18n: i18n;

  constructor() {
    this.i18n = i18next.createInstance();
    void this.i18n.use(ICU).init({
      resources: Object.fromEntries(Object.entries(CATALOGUES).map(([lng, catalogue]) => [lng, { translation: catalogue }])),
      lng: DEFAULT_LANGUAGE,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: Object.keys(CATALOGUES),
      initAsync: false,
      returnNull: false,
      interpolation: { escapeValue: false },
    });
  }

  /** The text of `key` in `language` with `values` filled in (ICU: `{name}`, `{n, plural, ...}`, `{x, select, ...}`). */
  t(language: Language, key: string, values: Record<string, string | number | boolean> = {}): string {
    return this.i18n.t(key, { ...values, lng: language }) as string;
  }
}

/** Every key of a catalogue, dotted (`common.greeting`), for the parity test. */
export function keysOf(catalogue: MessageCatalogue, prefix = ""): string[] {
  return Object.entries(catalogue).flatMap(([key, value]) => (typeof value === "string" ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`)));
}
