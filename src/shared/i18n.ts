import i18next, { type i18n } from "i18next";
import ICU from "i18next-icu";
import { IntlMessageFormat } from "intl-messageformat";
import Negotiator from "negotiator";

/**
 * The languages a person reads Zorgzaam in. Dutch is the deployment's default (`DEFAULT_LANGUAGE`);
 * English is there for people who ask for it with `Accept-Language` (docs/i18n.md).
 */
export const LANGUAGES = ["nl", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Values an ICU message is filled with (`{field}`, `{count, plural, ...}`). */
export type MessageParams = Record<string, string | number>;

/** The longest Accept-Language header looked at; a longer one is not parsed and the default applies. */
const MAX_HEADER_LENGTH = 512;

/**
 * The language of a request from its `Accept-Language` header (q-values honoured, `nl-BE` counts as
 * `nl`), parsed by `negotiator`. No header, a language we do not have (`fr`), garbage or a header over
 * 512 characters give `fallback`: a header never makes a request fail.
 */
export function negotiateLanguage(header: unknown, fallback: Language): Language {
  const text = Array.isArray(header) ? header.join(",") : header;
  if (typeof text !== "string" || text.trim() === "" || text.length > MAX_HEADER_LENGTH) return fallback;
  // The fallback first, so `*` picks it.
  const offered = [fallback, ...LANGUAGES.filter((l) => l !== fallback)];
  try {
    const chosen = new Negotiator({ headers: { "accept-language": text } }).language(offered);
    return isLanguage(chosen) ? chosen : fallback;
  } catch {
    return fallback;
  }
}

/** Whether a value names one of our languages exactly (`nl`, `en`). */
export const isLanguage = (value: unknown): value is Language => typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);

// ---- one i18next instance (ICU MessageFormat) for error messages and labels ---------------------------

/**
 * Namespaces: `errors` holds error messages keyed by their English wording (an ICU template, the text
 * a throw site writes), `labels` the enum labels (`Urgency.URGENT`). The English `errors` bundle is the
 * keys themselves, so a message has one spelling in the code and its translation in a catalogue.
 */
const instance: i18n = i18next.createInstance();
void instance.use(ICU).init({
  resources: { nl: { errors: {}, labels: {} }, en: { errors: {}, labels: {} } },
  ns: ["errors", "labels"],
  defaultNS: "errors",
  lng: "nl",
  fallbackLng: false,
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  returnNull: false,
  // Keys are English sentences and enum paths: neither ":" nor "." separates anything.
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
});

const dutchErrors = new Map<string, string>();

/**
 * A module's Dutch error messages, keyed by the English template its throw sites write (ICU
 * placeholders alike: `"{field}: no area has this id"`). Called once per `<module>.errors.ts` at load;
 * the module's errors cannot be thrown before it is loaded, so every message a client can receive is
 * registered before it is formatted. test/contract/i18n-parity.test.ts checks that every template
 * thrown has a Dutch wording, every Dutch wording is thrown, and both carry the same placeholders.
 */
export function dutchMessages<const T extends Record<string, string>>(catalogue: T): T {
  for (const [english, dutch] of Object.entries(catalogue)) {
    dutchErrors.set(english, dutch);
    instance.addResource("en", "errors", english, english);
    instance.addResource("nl", "errors", english, dutch);
  }
  return Object.freeze(catalogue);
}

/** Every registered Dutch error message by its English template (for the parity test). */
export const registeredDutchMessages = (): ReadonlyMap<string, string> => dutchErrors;

/** An English ICU template filled with `params` (how a DomainError's own `message` is made). */
export function formatEnglish(template: string, params?: MessageParams): string {
  if (!params) return template;
  // Numbers as they are written in code (50000, not 50,000): the English wording is what logs and
  // programs that read messages have always seen.
  const values = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === "number" ? String(value) : value]));
  try {
    // Tags mean nothing in our messages (`Bearer <token>` is text), as i18next-icu reads them.
    return String(new IntlMessageFormat(template, "en", undefined, { ignoreTag: true }).format(values));
  } catch {
    return template;
  }
}

/**
 * A message in `language`: the Dutch wording of `template` when the catalogues have one, else the
 * English `fallback` (already filled in). A template no catalogue knows stays English rather than
 * failing: the parity test is what keeps that from reaching a release.
 */
export function translateMessage(language: Language, template: string, params: MessageParams | undefined, fallback: string): string {
  if (language === "en" || !dutchErrors.has(template)) return fallback;
  // A value that is itself a message (a schema's rule in "{field}: {problem}") is given in the language too.
  const values = Object.fromEntries(Object.entries(params ?? {}).map(([name, value]) => [name, typeof value === "string" ? (dutchErrors.get(value) ?? value) : value]));
  try {
    return instance.t(template, { ...values, lng: language, ns: "errors" });
  } catch {
    return fallback;
  }
}

/** Labels by enum name and value: `{ Urgency: { URGENT: "Urgent" } }`. */
export type LabelCatalogue = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * Adds label catalogues (`{ Urgency: { URGENT: "Dringend" } }`) for one language. The GraphQL layer
 * loads its enum labels through this at start-up.
 */
export function addLabels(language: Language, catalogue: LabelCatalogue): void {
  for (const [group, values] of Object.entries(catalogue)) {
    for (const [value, label] of Object.entries(values)) instance.addResource(language, "labels", `${group}.${value}`, label);
  }
}

/** The label of `group.value` in `language`, or undefined when there is none. */
export function labelOf(language: Language, group: string, value: string): string | undefined {
  const key = `${group}.${value}`;
  return instance.exists(key, { lng: language, ns: "labels" }) ? instance.t(key, { lng: language, ns: "labels" }) : undefined;
}
