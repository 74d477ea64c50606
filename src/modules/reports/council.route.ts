import type { IncomingMessage, ServerResponse } from "node:http";
import { DomainError } from "../../shared/errors.js";
import type { Viewer } from "../../shared/viewer.js";
import type { ClientPrincipal } from "../api-clients/api-client.service.js";
import type { PlaceService } from "../places/place.service.js";
import type { StatsCouncil } from "../stats/stats.council.js";
import type { StatsService } from "../stats/stats.service.js";
import { langOf } from "./council.i18n.js";
import { type Names, councilCsv, councilHtml } from "./council.render.js";
import { route } from "../../graphql/routes.js";

const PATH = "/reports/council";

/**
 * GET /reports/council?year=YYYY&area=<areaId>&lang=nl|en&format=csv: the council's report, for a
 * coordinator's login (Authorization: Bearer) or an API key with the stats:read scope (X-Api-Key). No
 * credentials: 401; credentials without the right: 403; neither answer carries a figure. The page needs
 * no script: the charts are SVG rendered here, the numbers are in tables beside them.
 */
export function councilReportRoute(
  council: StatsCouncil,
  stats: StatsService,
  places: PlaceService,
  principalFor: (req: IncomingMessage) => Promise<{ viewer: Viewer; client: ClientPrincipal | null }>,
  now: () => Date,
) {
  return route(
    (pathname) => pathname === PATH,
    async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
      if (pathname !== PATH) return false;
      const text = (status: number, message: string, extra: Record<string, string> = {}) =>
        res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...extra }).end(message);
      if (req.method !== "GET") {
        res.writeHead(405, { allow: "GET" }).end();
        return true;
      }
      let principal: { viewer: Viewer; client: ClientPrincipal | null };
      try {
        principal = await principalFor(req);
      } catch {
        text(401, "Unauthorized: a coordinator's login or an API key with stats:read is needed.", { "www-authenticate": "Bearer" });
        return true;
      }
      if (!principal.client && !principal.viewer.personId) {
        text(401, "Unauthorized: a coordinator's login or an API key with stats:read is needed.", { "www-authenticate": "Bearer" });
        return true;
      }
      if (!stats.canSeeFineFigures(principal.viewer, principal.client)) {
        text(403, "Forbidden: the council report needs a coordinator's login or an API key with stats:read.");
        return true;
      }
      const url = new URL(req.url ?? "/", "http://localhost");
      const q = url.searchParams;
      const year = q.get("year") ? Number(q.get("year")) : now().getUTCFullYear() - 1;
      const areaId = q.get("area") || null;
      let figures;
      try {
        figures = await council.figures(year, areaId);
      } catch (err) {
        if (err instanceof DomainError) {
          text(err.code === "NOT_FOUND" ? 404 : 400, err.message);
          return true;
        }
        throw err;
      }
      const names: Names = {
        neighbourhood: (id) => places.neighbourhood(id)?.name ?? id,
        team: (id) => places.team(id)?.name ?? id,
        area: areaId ? (places.area(areaId)?.name ?? areaId) : null,
      };
      const headers = { "cache-control": "no-store", "x-content-type-options": "nosniff" };
      if (q.get("format") === "csv") {
        const body = councilCsv(figures, names);
        res.writeHead(200, {
          ...headers,
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="council-${year}${areaId ? `-${areaId}` : ""}.csv"`,
        });
        res.end(body);
        return true;
      }
      const lang = langOf(q.get("lang"), req.headers["accept-language"]);
      const csv = new URLSearchParams(q);
      csv.set("format", "csv");
      const html = await councilHtml(figures, names, lang, `${PATH}?${csv.toString()}`);
      res.writeHead(200, {
        ...headers,
        "content-type": "text/html; charset=utf-8",
        "content-language": lang,
        vary: "Accept-Language",
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      });
      res.end(html);
      return true;
    },
  );
}
