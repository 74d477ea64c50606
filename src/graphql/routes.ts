import type { IncomingMessage, ServerResponse } from "node:http";

/* The HTTP routes in front of /graphql, and as logs, metrics and traces name them (never a path with its tokens or ids). */

/** A route tried before /graphql: true when it answered; false, at once, for a request it does not take. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean | Promise<boolean>;

/**
 * A route that takes the requests `takes` names and answers them with `answer`. Every other request
 * is passed on synchronously: with seven routes in front of /graphql, an async route function per
 * route cost each GraphQL request fourteen promises and as many turns of the event loop.
 */
export function route(
  takes: (pathname: string, req: IncomingMessage) => boolean,
  answer: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>,
): HttpRoute {
  return (req, res, pathname) => (takes(pathname, req) ? answer(req, res, pathname) : false);
}

/** A low-cardinality name for a path: never the path itself (a calendar URL holds a secret token). */
export function routeOf(pathname: string): string {
  if (pathname === "/graphql" || pathname === "/healthz" || pathname === "/readyz" || pathname === "/metrics") return pathname;
  if (pathname.startsWith("/graphiql/")) return "/graphiql";
  if (pathname.startsWith("/calendar/")) return "/calendar";
  if (pathname.startsWith("/exports/")) return "/exports";
  if (pathname === "/case-documents" || pathname.startsWith("/case-documents/")) return "/case-documents";
  if (pathname === "/reports/council") return "/reports/council";
  return "other";
}

/** Routes probed or scraped every few seconds: logged at debug level, and not traced. */
export const QUIET_ROUTES: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/metrics"]);
