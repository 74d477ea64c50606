import ical, { ICalEventStatus } from "ical-generator";
import type { IncomingMessage, ServerResponse } from "node:http";
import { shiftText } from "./care-schedule.service.js";
import type { CareService } from "./care.service.js";
import { route } from "../../graphql/routes.js";

const PATH = /^\/calendar\/([A-Za-z0-9_.-]{20,2000})\.ics$/;

/**
 * GET /calendar/<token>.ics: a member's private iCalendar feed of the shifts they hold in one circle,
 * so the shifts appear in their phone calendar. The token is signed and revocable; anyone with the
 * URL can read the feed, which is why it carries only titles, times and care notes the member may see.
 *
 * Every time is written as a UTC instant (`...Z`): a calendar-wide zone would make ical-generator
 * write floating local times computed in the server process's own zone, which phones then read
 * hours off whenever the server does not run in Europe/Amsterdam.
 */
export function calendarRoute(care: CareService) {
  return route(
    (pathname) => PATH.test(pathname),
    async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
      const m = PATH.exec(pathname);
      if (!m) return false;
      if (req.method !== "GET" && req.method !== "HEAD") {
        res.writeHead(405, { allow: "GET, HEAD" }).end();
        return true;
      }
      const feed = await care.calendar.calendarFor(m[1]);
      if (!feed) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Unknown or revoked calendar feed.");
        return true;
      }
      const cal = ical({ name: `Zorgzaam: ${feed.name}`, prodId: { company: "Zorgzaam", product: "care-circle", language: "NL" } });
      for (const s of feed.shifts) {
        const text = shiftText(s, feed.tasks.get(s.taskId));
        cal.createEvent({
          id: s.id,
          start: s.startsAt,
          end: s.endsAt,
          summary: text.title || "Zorgtaak",
          description: text.notes ?? undefined,
          status: ICalEventStatus.CONFIRMED,
          stamp: s.updatedAt,
        });
      }
      const body = cal.toString();
      res.writeHead(200, {
        "content-type": "text/calendar; charset=utf-8",
        "cache-control": "private, max-age=300",
        "content-length": Buffer.byteLength(body),
      });
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    },
  );
}
