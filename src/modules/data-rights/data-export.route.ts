import type { IncomingMessage, ServerResponse } from "node:http";
import type { DataExportService } from "./data-export.service.js";
import { route } from "../../graphql/routes.js";

const PATH = /^\/exports\/([A-Za-z0-9_-]{1,64})$/;

/**
 * GET /exports/<id>?token=...: the file of a finished export, as an attachment that no cache keeps.
 * The token is the signed, short-lived part of the link `dataExport.downloadUrl` gives; it is bound to
 * the export and to the person it was given to. A request that also carries a bearer token must carry
 * that person's (a link is not lent to another account).
 */
export function dataExportRoute(exports: DataExportService, personOf: (authorization: string) => Promise<string | null>) {
  return route(
    (pathname) => PATH.test(pathname),
    async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
      const m = PATH.exec(pathname);
      if (!m) return false;
      const text = (status: number, message: string) => res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).end(message);
      if (req.method !== "GET") {
        res.writeHead(405, { allow: "GET" }).end();
        return true;
      }
      const token = new URL(req.url ?? "/", "http://localhost").searchParams.get("token");
      const result = await exports.download(m[1], token, async (holder) => {
        const authorization = req.headers.authorization;
        if (!authorization) return true;
        return (await personOf(authorization).catch(() => null)) === holder;
      });
      if (!result.ok) {
        text(result.status, result.message);
        return true;
      }
      res.writeHead(200, {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${result.filename}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        "content-length": result.body.length,
      });
      res.end(result.body);
      return true;
    },
  );
}
