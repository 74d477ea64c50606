import { type LookupAddress, type LookupOptions, lookup } from "node:dns";
import { isIP } from "node:net";
import { isPublicAddress } from "../../shared/public-address.js";

/**
 * Where this server may send a push message. An endpoint is a URL a browser hands us, so whoever signs in
 * chooses where our server posts: without limits that is a way into the internal network (SSRF). Push
 * services are public HTTPS hosts on port 443, so that is all an endpoint may be, unless its host is on
 * PUSH_ENDPOINT_ALLOW_HOSTS (a push service of one's own, a test's on loopback). The address a name
 * resolves to is checked again when sending, so a name that points inside does not pass either.
 */

/** Whether an IP address is outside the public internet (the shared predicate webhooks use too). */
export function isInternalAddress(address: string): boolean {
  return isIP(address) !== 0 && !isPublicAddress(address);
}

/** The longest endpoint accepted (push services' endpoints are a few hundred characters). */
export const ENDPOINT_MAX_LENGTH = 1024;

/** A hostname without IPv6 brackets or the root's trailing dot ("localhost." is localhost), lower case. */
const bare = (hostname: string) =>
  hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
const hostOf = (url: URL) => bare(url.hostname);

/** Normalises PUSH_ENDPOINT_ALLOW_HOSTS entries as URL hostnames are compared ("[::1]" and "::1" alike). */
export function allowHosts(entries: readonly string[]): ReadonlySet<string> {
  return new Set(entries.map(bare));
}

/**
 * Why an endpoint is not one to send to, or null when it is. Checks the URL only (no DNS): https, no
 * user or password, no fragment, port 443, a public name or address; a host on the allow-list may use
 * http:, any port and any address.
 */
export function endpointProblem(endpoint: string, allowed: ReadonlySet<string>): string | null {
  if (endpoint.length > ENDPOINT_MAX_LENGTH) return `must be at most ${ENDPOINT_MAX_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return "must be an absolute URL";
  }
  const host = hostOf(url);
  const listed = allowed.has(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && listed)) return "must be an https: URL";
  if (url.username || url.password) return "must not carry a user name or password";
  if (url.hash) return "must not have a fragment";
  if (listed) return null;
  if (url.port !== "") return "must use the standard HTTPS port";
  if (isIP(host) ? isInternalAddress(host) : !host.includes(".") || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) {
    return "must be a public push service, not an internal address";
  }
  return null;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that refuses a name resolving to an internal address (unless the host
 * is on the allow-list), so DNS cannot point a public-looking endpoint inside.
 */
export function guardedLookup(allowed: ReadonlySet<string>) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!allowed.has(bare(hostname)) && addresses.some((a) => isInternalAddress(a.address))) {
        const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to an internal address`);
        refused.code = "EPUSHINTERNAL";
        return callback(refused, []);
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
