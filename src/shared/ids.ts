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
  Neighbourhood: "nb",
  Area: "area",
  HelpCategory: "cat",
  Team: "team",
  AccessLogEntry: "acl",
} as const;

export type NodeTypeName = keyof typeof ID_PREFIX;

export function newId(type: NodeTypeName): string {
  return `${ID_PREFIX[type]}_${randomBytes(12).toString("base64url")}`;
}

const typeByPrefix = new Map<string, NodeTypeName>(
  Object.entries(ID_PREFIX).map(([type, prefix]) => [prefix, type as NodeTypeName]),
);

/** The type an id belongs to, or undefined when the id is not one of ours. */
export function typeOfId(id: string): NodeTypeName | undefined {
  const cut = id.indexOf("_");
  return cut > 0 ? typeByPrefix.get(id.slice(0, cut)) : undefined;
}
