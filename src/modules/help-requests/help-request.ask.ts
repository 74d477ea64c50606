import { z } from "zod";
import type { ContactVia } from "./help-request.tables.js";
import { badInput, forbidden } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import { ageOn, parseInput, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, hasRole } from "../../shared/viewer.js";
import type { PersonRow } from "../people/person.repository.js";
import type { PersonService } from "../people/person.service.js";
import { HelpRequestReason as R } from "./help-request.errors.js";
export { requireNotChoiceMode } from "./help-request.choice.policy.js";

/** The longest window a request (and respite asked by a care circle) may span. */
export const MAX_WINDOW_MS = 90 * 24 * 3600 * 1000;
const URGENCIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;

/** `askForHelp`'s input as the service accepts it. */
export const AskSchema = z.object({
  categoryId: z.string().min(1, "must not be empty"),
  title: text(1, 120),
  description: text(1, 4000),
  neighbourhoodId: z.string().min(1, "must not be empty").nullish(),
  windowStart: z.date({ error: "must be a date-time" }),
  windowEnd: z.date({ error: "must be a date-time" }),
  urgency: z.enum(URGENCIES).nullish(),
  vogRequired: z.boolean().nullish(),
  personHelpedId: z.string().min(1).nullish(),
  personHelpedEmail: z.string().trim().min(1, "must not be empty").nullish(),
  personHelped: z.unknown().nullish(),
  askingOrganisationId: z.string().min(1, "must not be empty").nullish(),
  contactVia: z.enum(["PERSON_HELPED", "ASKER"]).nullish(),
  language: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{2,3}$/, "must be a language code such as nl, en, ar, tr, pl")
    .nullish(),
  choiceMode: z.boolean().nullish(),
});
export type AskData = z.infer<typeof AskSchema>;

/** Roles that may ask for help on someone else's behalf (mantelzorger, wijkwinkel, professional). */
const ON_BEHALF_ROLES = ["MANTELZORGER", "ORGANISER", "PROFESSIONAL"] as const;

/**
 * Whom a request is for: the asker themself; someone new they register; someone with their own
 * account, named by the email they gave; or someone this account (or the organisation it asks as)
 * asked for before. Only the on-behalf roles may name anyone but themself.
 */
export async function resolvePersonHelped(
  people: PersonService,
  organisationAskedFor: (organisationId: string, personId: string) => Promise<boolean>,
  v: AuthenticatedViewer,
  data: AskData,
): Promise<PersonRow> {
  const personHelpedId = data.personHelpedId ?? null;
  const newPerson = data.personHelped ?? null;
  const accountEmail = data.personHelpedEmail ?? null;
  const askingOrganisationId = data.askingOrganisationId ?? null;
  if (personHelpedId === null && newPerson === null && accountEmail === null) {
    return (await people.findById(v.personId))!;
  }
  if (!ON_BEHALF_ROLES.some((role) => hasRole(v, role))) {
    throw forbidden(R.CANNOT_ASK_ON_BEHALF, "Only a mantelzorger, neighbourhood desk or professional can ask on someone's behalf.");
  }
  if ([personHelpedId, newPerson, accountEmail].filter((x) => x !== null).length > 1) {
    throw badInput(R.INVALID_INPUT, "input.personHelped: give one of personHelpedId, personHelpedEmail or personHelped", "input.personHelped");
  }
  if (newPerson !== null) return people.createPersonHelped(v, newPerson, "input.personHelped");
  if (accountEmail !== null) {
    // Someone with their own account, named by the email they gave: the request is theirs to follow.
    const account = await people.findAccountByEmail(accountEmail);
    if (!account) throw badInput(R.UNKNOWN_PERSON_HELPED, "input.personHelpedEmail: no account has this email", "input.personHelpedEmail");
    return account;
  }
  const person = await people.findById(personHelpedId!);
  // Only people this account registered before (or itself), or that the organisation it asks as
  // asked for before (a colleague at the same desk), can be named again.
  const known =
    person && (person.createdById === v.personId || person.id === v.personId || (askingOrganisationId !== null && (await organisationAskedFor(askingOrganisationId, person.id))));
  if (!person || !known) {
    throw badInput(R.UNKNOWN_PERSON_HELPED, "input.personHelpedId: not a person you asked for before", "input.personHelpedId");
  }
  return person;
}

/** The wanted window: it ends after it starts, is still to come, and spans at most 90 days. */
/** A note on a change of status (done, released, cancelled): at most 1,000 characters; empty is none. */
export function parseNote(value: string | null): string | null {
  return value === null ? null : parseInput(text(0, 1000), value, "note") || null;
}

/** Where help is needed: the neighbourhood asked for, or else the person helped's own. */
export function neighbourhoodOf(data: AskData, personHelped: PersonRow): string {
  const neighbourhoodId = data.neighbourhoodId ?? personHelped.neighbourhoodId;
  if (!neighbourhoodId) {
    throw badInput(R.NEIGHBOURHOOD_REQUIRED, "input.neighbourhoodId: say in which neighbourhood help is needed", "input.neighbourhoodId");
  }
  return neighbourhoodId;
}

export function requireWindow(data: AskData, now: Date): void {
  if (data.windowEnd.getTime() <= data.windowStart.getTime()) {
    throw badInput(R.INVALID_TIME_WINDOW, "input.windowEnd: must be after windowStart", "input.windowEnd");
  }
  if (data.windowEnd.getTime() <= now.getTime()) {
    throw badInput(R.INVALID_TIME_WINDOW, "input.windowEnd: must be in the future", "input.windowEnd");
  }
  if (data.windowEnd.getTime() - data.windowStart.getTime() > MAX_WINDOW_MS) {
    throw badInput(R.INVALID_TIME_WINDOW, "input.windowEnd: a window spans at most 90 days", "input.windowEnd");
  }
}

/** The new OPEN request for what was asked. */
export function newRequestRow(v: AuthenticatedViewer, data: AskData, personHelped: PersonRow, neighbourhoodId: string, now: Date, categoryNeedsVog = false) {
  const minor = personHelped.birthDate !== null && ageOn(personHelped.birthDate, now) < 18;
  return {
    id: newId("HelpRequest"),
    personHelpedId: personHelped.id,
    askedById: v.personId,
    categoryId: data.categoryId,
    neighbourhoodId,
    title: data.title,
    description: data.description,
    urgency: data.urgency ?? "NORMAL",
    // Helping a minor always needs a certificate of conduct; so does any request in a category a coordinator marked.
    vogRequired: minor || categoryNeedsVog || (data.vogRequired ?? false),
    windowStart: data.windowStart,
    windowEnd: data.windowEnd,
    status: "OPEN" as const,
    volunteerId: null,
    organisationId: null,
    askingOrganisationId: data.askingOrganisationId ?? null,
    sandbox: v.sandboxOrganisationId !== undefined,
    // Someone asked for without a phone is reached through whoever asked, unless told otherwise.
    contactVia: data.contactVia ?? ((personHelped.id === v.personId || personHelped.phone ? "PERSON_HELPED" : "ASKER") as ContactVia),
    language: data.language ?? null,
    choiceMode: data.choiceMode ?? false,
    releaseCount: 0,
    createdAt: now,
    updatedAt: now,
  };
}
