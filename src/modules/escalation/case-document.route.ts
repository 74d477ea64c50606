import type { IncomingMessage, ServerResponse } from "node:http";
import { DomainError } from "../../shared/errors.js";
import { anonymous, type Viewer } from "../../shared/viewer.js";
import { type CaseWorkService, documentTooLarge } from "./case-work.service.js";
import { route } from "../../graphql/routes.js";

const UPLOAD = /^\/case-documents$/;
const DOWNLOAD = /^\/case-documents\/([A-Za-z0-9_-]{1,80})$/;
const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

/** Reads the body up to `limit` bytes; more is a refusal before the rest is read. */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw documentTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw documentTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendError(res: ServerResponse, err: DomainError): void {
  const body = JSON.stringify({ errors: [{ message: err.message, extensions: { code: err.code, reason: err.reason } }] });
  // Connection close after a refused upload: the rest of a too-large body is not read.
  res.writeHead(STATUS[err.code] ?? 400, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", connection: "close" }).end(body);
}

/**
 * Case documents over plain HTTP, beside /graphql (docs/decisions.md: case documents):
 * - POST /case-documents?escalationId=<case>&name=<file name>, the file as the raw body: adds it to the
 *   case and answers the document as JSON (`{ data: { id, fileName, ... } }`);
 * - GET /case-documents/<id>: the bytes, as an attachment no cache keeps.
 * Both need a professional's bearer token in `Authorization` (never a cookie), so another site cannot
 * make a browser send them (a cross-site request with that header needs a CORS preflight we do not grant).
 */
export function caseDocumentRoute(work: CaseWorkService, viewerFor: (authorization: string) => Promise<Viewer>) {
  return route(
    (pathname) => UPLOAD.test(pathname) || DOWNLOAD.test(pathname),
    async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
      const upload = UPLOAD.test(pathname);
      const download = DOWNLOAD.exec(pathname);
      if (!upload && !download) return false;
      try {
        const authorization = req.headers.authorization;
        const viewer = authorization ? await viewerFor(authorization) : anonymous;
        if (upload) {
          if (req.method !== "POST") return (res.writeHead(405, { allow: "POST" }).end(), true);
          const url = new URL(req.url ?? "/", "http://localhost");
          // The case is checked before the body is read: a stranger's upload is refused without storing a byte.
          await work.requireTeam(viewer, url.searchParams.get("escalationId") ?? "");
          const bytes = await readLimited(req, work.maxDocumentBytes);
          const doc = await work.upload(viewer, url.searchParams.get("escalationId") ?? "", url.searchParams.get("name"), bytes);
          const { storageKey: _key, ...shown } = doc;
          res.writeHead(201, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify({ data: shown }));
          return true;
        }
        if (req.method !== "GET") return (res.writeHead(405, { allow: "GET" }).end(), true);
        const { doc, bytes } = await work.download(viewer, download![1]);
        res.writeHead(200, {
          "content-type": doc.mediaType,
          "content-disposition": `attachment; filename="${doc.fileName.replace(/[^A-Za-z0-9._ -]/g, "_")}"`,
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
          "content-security-policy": "default-src 'none'; sandbox",
          "content-length": bytes.length,
        });
        res.end(bytes);
        return true;
      } catch (err) {
        if (err instanceof DomainError) {
          sendError(res, err);
          return true;
        }
        throw err;
      }
    },
  );
}
