import type { Messages } from "./notification.i18n.js";
import { KINDS, type Language, type NotificationKind } from "./notification.kinds.js";
import { ZONE, formatWhen } from "./notification.time.js";
import { DateTime } from "luxon";
import type { DeliveryParams } from "./notifications.tables.js";

/** A message ready for a channel: a subject, a plain-text part and an HTML part with the same content. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** Where the person reads the rest after signing in. */
  link: string;
  /** The paragraphs alone, without greeting, signature or footer (a push message's body). */
  summary: string;
}

/** Names of reference data in a language (categories have a Dutch and an English name). */
export interface PlaceNames {
  categoryName(id: string, language: Language): string | undefined;
  neighbourhoodName(id: string): string | undefined;
}

/** Where links in messages point: the app people sign in to. */
export interface NotificationLinks {
  /** The page of what a message of `kind` is about (a help request, an initiative). */
  subject(kind: NotificationKind, id: string): string;
  /** The person's notification settings. */
  settings(): string;
}

/**
 * The page of each subject, followed by the subject's id. Reminders with no single subject name a page
 * by their id: a VOG by its volunteer (volunteers/<id>), VOG reviews and the digest by a fixed id
 * (coordination/vog-reviews, help-requests/open).
 */
const PAGES: Record<(typeof KINDS)[NotificationKind]["subject"], string> = {
  "help-request": "help-requests",
  initiative: "initiatives",
  "care-circle": "care-circles",
  // An invitation's page, where the invited account accepts it (acceptCareInvitation with this id).
  "care-invitation": "care-invitations",
  "buddy-programme": "buddy-programmes",
  // A thread: a shift's (by the shift's id) or the circle's own (by the circle's id); readable by whoever is told.
  "care-thread": "care-threads",
  // An ask from an offer: the volunteer answers it there; whoever asked follows it there.
  "offer-ask": "offer-asks",
  "team-case": "escalations",
  vog: "volunteers",
  "vog-reviews": "coordination",
  "partner-app": "partner-apps",
  "open-requests": "help-requests",
};

/** The id of the open-requests page (help-requests/open). */
const OPEN_REQUESTS_PAGE = "open";

export function notificationLinks(appUrl: string): NotificationLinks {
  const base = appUrl.replace(/\/+$/, "");
  return {
    // The open requests are one page whatever the subject (a volunteer not chosen no longer sees the request).
    subject: (kind, id) => `${base}/${PAGES[KINDS[kind].subject]}/${encodeURIComponent(KINDS[kind].subject === "open-requests" ? OPEN_REQUESTS_PAGE : id)}`,
    settings: () => `${base}/settings/notifications`,
  };
}

/**
 * Turns a decided delivery into text in the recipient's language. What it can say is limited to what
 * the delivery holds (`DeliveryParams`: ids, a status, a date, a kind of initiative, a first name for
 * whoever asked) and the names of places and categories: nothing a person wrote, no care or health
 * details, no address, not even an initiative's title.
 */
export class NotificationRenderer {
  constructor(
    private readonly messages: Messages,
    private readonly places: PlaceNames,
    private readonly links: NotificationLinks,
    private readonly dailyNewRequests: number,
  ) {}

  render(delivery: { kind: NotificationKind; subjectId: string; params: DeliveryParams }, to: { firstName: string; language: Language }, unsubscribeUrl: string): RenderedMessage {
    const lng = to.language;
    const t = (key: string, values?: Record<string, string | number | boolean>) => this.messages.t(lng, key, values);
    const p = delivery.params;
    const category = (p.categoryId && this.places.categoryName(p.categoryId, lng)) || "-";
    const neighbourhood = (p.neighbourhoodId && this.places.neighbourhoodName(p.neighbourhoodId)) || "-";
    const about = p.forName ? t("about.onBehalf", { category, forName: p.forName }) : t("about.own", { category });
    const at = p.startsAt ?? p.windowStart;
    const values = {
      category,
      neighbourhood,
      about,
      what: p.initiativeKind ? t(`initiativeKind.${p.initiativeKind}`) : "-",
      forName: p.forName ?? "",
      inviter: p.inviterName ?? "",
      status: p.status ?? "-",
      onShift: String(p.shiftId !== undefined),
      onBehalf: String(p.forName !== undefined),
      when: at !== undefined ? formatWhen(new Date(at), lng) : t("common.noDate"),
      urgent: String(p.urgency === "URGENT"),
      count: p.count ?? 0,
      date: p.date
        ? DateTime.fromISO(p.date, { zone: ZONE })
            .setLocale(lng === "nl" ? "nl-NL" : "en-GB")
            .toLocaleString(DateTime.DATE_FULL)
        : t("common.noDate"),
    };
    const link = this.links.subject(delivery.kind, delivery.subjectId);
    const audience = KINDS[delivery.kind].audience;
    // "This request is urgent" is about help requests; a team's message says it in its own words.
    const paragraphs = [
      t(`body.${delivery.kind}`, values),
      ...(delivery.kind === "HELP_REQUEST_DIGEST" ? this.digestLines(p, lng, t) : []),
      ...(p.urgency === "URGENT" && audience !== "team" ? [t("common.urgent")] : []),
    ];
    const footer = [t(`why.${audience}`), ...(delivery.kind === "HELP_REQUEST_NEW" ? [t("common.dailyLimit", { limit: this.dailyNewRequests })] : [])];
    const subject = t(`subject.${delivery.kind}`, values);
    const greeting = t("common.greeting", { name: to.firstName });
    const text = [
      greeting,
      "",
      ...paragraphs,
      "",
      t("common.readMore", { url: link }),
      "",
      t("common.signature"),
      "",
      "--",
      ...footer,
      t("common.settings", { url: this.links.settings() }),
      t("common.unsubscribe", { url: unsubscribeUrl }),
      "",
    ].join("\n");
    const html = page(lng, subject, [
      `<p>${escape(greeting)}</p>`,
      ...paragraphs.map((x) => `<p>${escape(x)}</p>`),
      `<p><a href="${escape(link)}" style="display:inline-block;padding:10px 16px;background:#1d6b52;color:#ffffff;text-decoration:none;border-radius:4px">${escape(t("common.button"))}</a></p>`,
      `<p>${escape(t("common.signature"))}</p>`,
      `<hr><p style="font-size:12px;color:#555555">${footer.map(escape).join("<br>")}<br>` +
        `${linked(t("common.settings", { url: "\u0000" }), this.links.settings())}<br>` +
        `${linked(t("common.unsubscribe", { url: "\u0000" }), unsubscribeUrl)}</p>`,
    ]);
    return { subject, text, html, link, summary: paragraphs.join("\n") };
  }

  /** The requests of a daily digest, one line each: category and neighbourhood only, then how many more. */
  private digestLines(p: DeliveryParams, lng: Language, t: (key: string, values?: Record<string, string | number | boolean>) => string): string[] {
    const items = p.items ?? [];
    const lines = items.map((i) =>
      t("digest.item", {
        category: this.places.categoryName(i.categoryId, lng) ?? "-",
        neighbourhood: this.places.neighbourhoodName(i.neighbourhoodId) ?? "-",
        urgent: String(i.urgency === "URGENT"),
      }),
    );
    const more = (p.count ?? items.length) - items.length;
    return more > 0 ? [...lines, t("digest.more", { count: more })] : lines;
  }

  /** A kind's name in a sentence ("new requests that fit you"), for the unsubscribe page. */
  kindLabel(kind: NotificationKind, language: Language): string {
    return this.messages.t(language, `kindLabel.${kind}`);
  }

  /** A text of the unsubscribe page. */
  pageText(language: Language, key: "title" | "question" | "button" | "done" | "invalid", values: Record<string, string> = {}): string {
    return this.messages.t(language, `unsubscribePage.${key}`, values);
  }
}

export function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A sentence whose `\u0000` placeholder becomes a link to `url`. */
function linked(sentence: string, url: string): string {
  const [before, after = ""] = sentence.split("\u0000");
  return `${escape(before)}<a href="${escape(url)}">${escape(url)}</a>${escape(after)}`;
}

export function page(language: Language, title: string, body: string[]): string {
  return [
    "<!doctype html>",
    `<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escape(title)}</title></head>`,
    `<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a;max-width:560px;margin:0 auto;padding:16px">`,
    ...body,
    "</body></html>",
  ].join("\n");
}
