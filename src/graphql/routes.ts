/* The HTTP routes as logs, metrics and traces name them (never a path with its tokens or ids). */

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
