import type { Language } from "../../shared/i18n.js";
import type { AccountMail } from "../people/account.mailer.js";

/** What an e-mailed invitation to someone without an account says: who invites, to a care circle, how to join. */
export interface InvitationMailValues {
  to: string;
  /** The invitee's first name as the coordinator typed it, if they did. */
  firstName: string | null;
  inviterFirstName: string;
  joinUrl: string;
  code: string;
  expiresAt: Date;
}

const TEXTS: Record<Language, { subject: (v: InvitationMailValues) => string; body: (v: InvitationMailValues, until: string) => string }> = {
  nl: {
    subject: (v) => `Zorgzaam: ${v.inviterFirstName} nodigt je uit voor een zorgnetwerk`,
    body: (v, until) =>
      `${v.firstName ? `Hallo ${v.firstName},` : "Hallo,"}\n\n` +
      `${v.inviterFirstName} nodigt je uit om mee te doen in een zorgnetwerk op Zorgzaam: samen de zorg voor iemand verdelen.\n\n` +
      `Meedoen gaat met deze link (maak eerst een account aan als je er nog geen hebt):\n${v.joinUrl}\n\n` +
      `Of vul deze code in bij "Meedoen met een zorgnetwerk": ${v.code}\n\n` +
      `De uitnodiging werkt één keer en tot ${until}.\n\n` +
      `Ken je ${v.inviterFirstName} niet of wil je niet meedoen? Dan kun je deze e-mail negeren; je hoort er niets meer over.\n\nGroet,\nZorgzaam\n`,
  },
  en: {
    subject: (v) => `Zorgzaam: ${v.inviterFirstName} invites you to a care circle`,
    body: (v, until) =>
      `${v.firstName ? `Hello ${v.firstName},` : "Hello,"}\n\n` +
      `${v.inviterFirstName} invites you to join a care circle on Zorgzaam: sharing the care for someone together.\n\n` +
      `Join with this link (create an account first if you have none):\n${v.joinUrl}\n\n` +
      `Or enter this code under "Join a care circle": ${v.code}\n\n` +
      `The invitation works once, until ${until}.\n\n` +
      `Do you not know ${v.inviterFirstName}, or not want to join? Then ignore this e-mail; you will hear no more of it.\n\nRegards,\nZorgzaam\n`,
  },
};

/**
 * The one e-mail an address without an account receives, in the inviting coordinator's language. It names
 * the inviter's first name and that it is a care circle: never the circle's name, the care receiver, their
 * address or any care detail, which the address's owner has not been allowed to see yet.
 */
export function invitationMail(language: Language, v: InvitationMailValues): AccountMail {
  const t = TEXTS[language];
  const until = new Intl.DateTimeFormat(language === "nl" ? "nl-NL" : "en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Amsterdam" }).format(v.expiresAt);
  return { to: v.to, subject: t.subject(v), text: t.body(v, until) };
}
