import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { badInput } from "../../shared/errors.js";
import { isPublicAddress } from "../../shared/public-address.js";
import { WebhookReason } from "./webhooks.errors.js";

/** Where an endpoint may point (WEBHOOK_ALLOW_HOSTS): hosts reached over plain http and at any address. */
export interface AddressPolicy {
  /** Lower-case host names or literal addresses exempt from the https and address rules (tests, development). */
  allowHosts: ReadonlySet<string>;
}

/** A URL checked for sending: its parts, and whether its host is on the allow-list. */
export interface CheckedUrl {
  url: URL;
  /** The host without IPv6 brackets. */
  host: string;
  allowListed: boolean;
}

const MAX_URL_LENGTH = 2000;

/** The host of a URL without the brackets of an IPv6 literal. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();

/**
 * Checks a URL at registration: well formed, https unless its host is allow-listed, no credentials in
 * it, and, when the host is a literal address, a public one. Host names are resolved when sending.
 */
export function checkEndpointUrl(raw: string, policy: AddressPolicy): CheckedUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badInput(WebhookReason.WEBHOOK_URL_INVALID, "url: not an absolute URL", "input.url");
  }
  if (raw.length > MAX_URL_LENGTH) throw badInput(WebhookReason.WEBHOOK_URL_INVALID, "url: at most {max} characters", "input.url", { max: MAX_URL_LENGTH });
  if (url.username || url.password) throw badInput(WebhookReason.WEBHOOK_URL_INVALID, "url: must not carry a user name or password", "input.url");
  if (url.protocol !== "https:" && url.protocol !== "http:") throw badInput(WebhookReason.WEBHOOK_URL_NOT_HTTPS, "url: must be https", "input.url");
  const host = hostOf(url);
  const allowListed = policy.allowHosts.has(host);
  if (allowListed) return { url, host, allowListed };
  if (url.protocol !== "https:") throw badInput(WebhookReason.WEBHOOK_URL_NOT_HTTPS, "url: must be https", "input.url");
  if (ipaddr.isValid(host) && !isPublicAddress(host)) {
    throw badInput(WebhookReason.WEBHOOK_URL_PRIVATE_ADDRESS, "url: points at a private, loopback, link-local or otherwise non-public address", "input.url");
  }
  // A bare number or hex form ("https://2130706433/") is an address to some resolvers: URL normalises it, but be sure.
  if (/^[\d.x]+$/i.test(host) && !ipaddr.IPv4.isValidFourPartDecimal(host)) {
    throw badInput(WebhookReason.WEBHOOK_URL_PRIVATE_ADDRESS, "url: an address in an unusual form", "input.url");
  }
  return { url, host, allowListed };
}

/** Thrown when a host resolves to an address a webhook may not reach: the attempt fails without connecting. */
export class RefusedAddress extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedAddress";
  }
}

/**
 * The addresses to connect to for a checked URL: every address the host resolves to must be public
 * (one private answer among public ones is how DNS rebinding gets through), and the connection then
 * goes to these checked addresses only, so a second resolution cannot change the answer after the check.
 */
export async function resolveForSending(checked: CheckedUrl): Promise<{ address: string; family: number }[]> {
  if (ipaddr.isValid(checked.host)) {
    if (!checked.allowListed && !isPublicAddress(checked.host)) throw new RefusedAddress(`${checked.host} is not a public address`);
    return [{ address: checked.host, family: ipaddr.parse(checked.host).kind() === "ipv6" ? 6 : 4 }];
  }
  const found = await lookup(checked.host, { all: true, verbatim: true });
  if (found.length === 0) throw new RefusedAddress(`${checked.host} does not resolve`);
  if (!checked.allowListed) {
    const refused = found.find((a) => !isPublicAddress(a.address));
    if (refused) throw new RefusedAddress(`${checked.host} resolves to ${refused.address}, which is not a public address`);
  }
  return found;
}
