import { type DocumentNode, type FieldNode, Kind, type OperationDefinitionNode, type SelectionSetNode, getOperationAST } from "graphql";
import type { ApiScopeName } from "./api-client.tables.js";

type OperationType = "query" | "mutation" | "subscription";

export interface ScopeDefinition {
  description: string;
  /** Root fields this scope opens, per operation type. */
  fields: Partial<Record<OperationType, readonly string[]>>;
}

/**
 * What each scope opens, as root fields of the schema. A key reaches exactly the union of its scopes
 * (plus `currentApiKey` and introspection); nested fields then follow the usual rules for whom the key
 * acts as: anonymous, or the app's own account for `requests:write`. A test checks every name exists.
 */
export const SCOPES: Record<ApiScopeName, ScopeDefinition> = {
  "public:read": {
    description: "The public graph: places, help categories, teams, published initiatives and verified organisations, public statistics.",
    fields: {
      query: [
        "areas",
        "neighbourhoods",
        "helpCategories",
        "teams",
        "initiatives",
        "initiative",
        "organisations",
        "organisation",
        "participationUtilisation",
        "stats",
        "node",
        "nodes",
        "serverTime",
      ],
      subscription: ["initiativePublished"],
    },
  },
  "stats:read": {
    description:
      "Statistics including the finer figures (escalations by trigger and outcome, the council's figures per team, informal hours, care circles and buddy programmes); small numbers stay suppressed.",
    fields: { query: ["stats", "councilStats", "participationUtilisation", "neighbourhoods", "areas", "helpCategories"] },
  },
  "requests:write": {
    description: "Ask for help on behalf of the app's users (askForHelp with personHelped or personHelpedId), follow, complete and cancel those requests.",
    fields: {
      query: ["helpRequest", "myHelpRequests", "escalationStatus", "node", "nodes"],
      mutation: ["askForHelp", "cancelHelpRequest", "completeHelpRequest"],
      subscription: ["helpRequestChanged"],
    },
  },
  "organisation:write": {
    description:
      "Act for the one organisation a coordinator bound the app to, as one of its organisers: post, change, publish, cancel and end its initiatives and read their sign-ups.",
    fields: {
      query: ["initiative", "initiatives", "organisation", "myOrganisations", "node", "nodes"],
      mutation: ["createInitiative", "updateInitiative", "publishInitiative", "cancelInitiative", "endInitiative"],
    },
  },
};

export const SCOPE_NAMES = Object.keys(SCOPES) as ApiScopeName[];

/** Fields every key may use, whatever its scopes. */
const ALWAYS = new Set(["__typename", "__schema", "__type", "currentApiKey"]);

/** The first root field the scopes do not open, with the scopes that would; null when all are allowed. */
export function scopeViolation(
  document: DocumentNode,
  operationName: string | null | undefined,
  scopes: ReadonlySet<ApiScopeName>,
): { field: string; operation: OperationType; needs: ApiScopeName[] } | null {
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return null; // graphql-js reports an unknown operation itself
  for (const field of rootFields(document, operation)) {
    const name = field.name.value;
    if (ALWAYS.has(name)) continue;
    const opening = SCOPE_NAMES.filter((s) => SCOPES[s].fields[operation.operation]?.includes(name));
    if (!opening.some((s) => scopes.has(s))) return { field: name, operation: operation.operation, needs: opening };
  }
  return null;
}

/** The root fields of an operation, through fragments and inline fragments. */
export function rootFields(document: DocumentNode, operation: OperationDefinitionNode): FieldNode[] {
  const fragments = new Map(document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d] as const));
  const out: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) out.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return out;
}
