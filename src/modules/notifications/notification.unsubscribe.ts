import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_LANGUAGE, type Language, type NotificationChannel, type NotificationKind, isChannel, isKind } from "./notification.kinds.js";
import { escape, page } from "./notification.render.js";
import { route } from "../../graphql/routes.js";

/** Signs and checks capability tokens (the token service's, see auth.tokens.ts). */
export interface CapabilitySigner {
  signCapability(audience: string, claims: Record<string, string | number>): Promise<string>;
  verifyCapability(audience: string, token: string): Promise<Record<string, unknown> | null>;
}

const AUDIENCE = "notification-unsubscribe";
export const UNSUBSCRIBE_PATH = "/notifications/unsubscribe";

/** What an unsubscribe link switches off: one kind on one channel for one person. */
export interface UnsubscribeTarget {
  personId: string;
  kind: NotificationKind;
  channel: NotificationChannel;
}

/**
 * One-click unsubscribe links (RFC 8058): a token signed for one person, kind and channel, so the link
 * in a message switches off exactly that and nothing else, and needs no sign-in. It grants nothing
 * besides, and switching a kind off twice is the same as once, so tokens do not expire.
 */
export class UnsubscribeLinks {
  private readonly base: string;

  constructor(
    private readonly signer: CapabilitySigner,
    publicUrl: string,
  ) {
    this.base = `${publicUrl.replace(/\/+$/, "")}${UNSUBSCRIBE_PATH}`;
  }

  async url(personId: string, kind: NotificationKind, channel: NotificationChannel): Promise<string> {
    const token = await this.signer.signCapability(AUDIENCE, { sub: personId, kind, channel });
    return `${this.base}?token=${encodeURIComponent(token)}`;
  }

  async verify(token: string): Promise<UnsubscribeTarget | null> {
    const claims = await this.signer.verifyCapability(AUDIENCE, token);
    if (!claims || typeof claims.sub !== "string" || !isKind(claims.kind) || !isChannel(claims.channel)) return null;
    return { personId: claims.sub, kind: claims.kind, channel: claims.channel };
  }
}

/** What the route needs of the notifications service. */
export interface Unsubscriber {
  /** The target of a token and the language to answer in; null when the token is not valid. */
  unsubscribeTarget(token: string): Promise<(UnsubscribeTarget & { language: Language }) | null>;
  /** Switches the target off; null when the token is not valid. */
  unsubscribe(token: string): Promise<(UnsubscribeTarget & { language: Language }) | null>;
  pageText(language: Language, key: "title" | "question" | "button" | "done" | "invalid", values?: Record<string, string>): string;
  kindLabel(kind: NotificationKind, language: Language): string;
}

/** Bytes of a POST body read at most (RFC 8058 sends `List-Unsubscribe=One-Click`). */
const BODY_LIMIT = 1024;

/**
 * `POST /notifications/unsubscribe?token=…`: the one-click unsubscribe of RFC 8058, which mail clients
 * send without a person looking (the message carries `List-Unsubscribe-Post: List-Unsubscribe=One-Click`).
 * `GET` of the same link (a person following it) only shows a page with a button that POSTs: link
 * scanners and previews fetch links, and must not switch anything off.
 */
export function unsubscribeRoute(notifications: Unsubscriber) {
  return route(
    (pathname) => pathname === UNSUBSCRIBE_PATH,
    async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
      if (pathname !== UNSUBSCRIBE_PATH) return false;
      const url = new URL(req.url ?? "/", "http://localhost");
      const token = url.searchParams.get("token") ?? "";
      const answer = (status: number, language: Language, title: string, body: string[]) => {
        const html = page(language, title, [`<h1 style="font-size:20px">${escape(title)}</h1>`, ...body]);
        res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(html) });
        res.end(html);
      };
      const invalid = () =>
        answer(400, DEFAULT_LANGUAGE, notifications.pageText(DEFAULT_LANGUAGE, "title"), [
          `<p>${escape(notifications.pageText(DEFAULT_LANGUAGE, "invalid"))}</p>`,
          `<p lang="en">${escape(notifications.pageText("en", "invalid"))}</p>`,
        ]);
      if (req.method === "POST") {
        await drain(req);
        const done = await notifications.unsubscribe(token);
        if (!done) {
          invalid();
          return true;
        }
        const kind = notifications.kindLabel(done.kind, done.language);
        answer(200, done.language, notifications.pageText(done.language, "title"), [`<p>${escape(notifications.pageText(done.language, "done", { kind }))}</p>`]);
        return true;
      }
      if (req.method === "GET" || req.method === "HEAD") {
        const target = await notifications.unsubscribeTarget(token);
        if (!target) {
          invalid();
          return true;
        }
        const lng = target.language;
        const kind = notifications.kindLabel(target.kind, lng);
        answer(200, lng, notifications.pageText(lng, "title"), [
          `<p>${escape(notifications.pageText(lng, "question", { kind }))}</p>`,
          `<form method="post" action="${escape(`${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}`)}">` +
            `<input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escape(notifications.pageText(lng, "button"))}</button></form>`,
        ]);
        return true;
      }
      res.writeHead(405, { allow: "GET, HEAD, POST" }).end();
      return true;
    },
  );
}

/** Reads and drops a small request body; a larger one is cut off. */
async function drain(req: IncomingMessage): Promise<void> {
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) break;
  }
}
