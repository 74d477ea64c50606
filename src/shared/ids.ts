import { randomBytes } from "node:crypto";

/**
 * Ids are opaque strings whose prefix names the type, so `node(id)` can find any entity and ids never
 * have to change shape when partner apps start to rely on them. Reference data seeded from real
 * places uses readable slugs with the same prefixes.
 */
export const ID_PREFIX = {
  Person: "per",
  HelpRequest: "hr",
  HelpRequestEvent: "hre",
  HelpOffer: "hof",
  Neighbourhood: "nb",
  Area: "area",
  HelpCategory: "cat",
  Team: "team",
  AccessLogEntry: "acl",
  Organisation: "org",
  Initiative: "ini",
  Signup: "sgn",
  Placement: "plc",
  CareCircle: "circle",
  CareTask: "task",
  CareShift: "shift",
  CareSwap: "swap",
  CareInvitation: "inv",
  CareCheckin: "chk",
  CareLoadSignal: "load",
  CareRespite: "respite",
  CareMessage: "cmsg",
  Escalation: "esc",
  EscalationAudit: "audit",
  Consent: "consent",
  CaseNote: "cnote",
  CaseDocument: "cdoc",
  CaseReroute: "creroute",
  ApiClient: "app",
  ApiKey: "key",
  PersistedOperation: "pop",
  Notification: "ntf",
  DataExport: "dex",
  DataErasure: "der",
  WebhookEndpoint: "whep",
  WebhookDelivery: "whdl",
  WebhookAttempt: "what",
  Offer: "off",
  OfferListing: "ofl",
  OfferAsk: "oask",
  BuddyProgramme: "bprog",
  BuddyParticipant: "bpart",
  Buddy: "buddy",
  BuddyMatch: "bmatch",
  BuddyCheckin: "bchk",
  BuddySignal: "bsig",
} as const;

export type NodeTypeName = keyof typeof ID_PREFIX;

export function newId(type: NodeTypeName): string {
  return `${ID_PREFIX[type]}_${randomBytes(12).toString("base64url")}`;
}

let sequence = 0;

/**
 * An id that sorts by creation time (then by a per-process counter), for append-only logs whose
 * entries may share a millisecond: ordering by (time, id) then follows the order of writing.
 */
export function newSortableId(type: NodeTypeName): string {
  sequence = (sequence + 1) % 1_679_616; // 36^4
  const time = Date.now().toString(36).padStart(9, "0");
  return `${ID_PREFIX[type]}_${time}${sequence.toString(36).padStart(4, "0")}${randomBytes(4).toString("hex")}`;
}

const typeByPrefix = new Map<string, NodeTypeName>(Object.entries(ID_PREFIX).map(([type, prefix]) => [prefix, type as NodeTypeName]));

/** The type an id belongs to, or undefined when the id is not one of ours. */
export function typeOfId(id: string): NodeTypeName | undefined {
  const cut = id.indexOf("_");
  return cut > 0 ? typeByPrefix.get(id.slice(0, cut)) : undefined;
}
