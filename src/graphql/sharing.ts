import { type DocumentNode, type GraphQLNamedType, type GraphQLSchema, TypeInfo, getNamedType, isAbstractType, isObjectType, visit, visitWithTypeInfo } from "graphql";
import type { Viewer } from "../shared/viewer.js";

/**
 * Fields whose answer depends on who asks, not only on the roles and app scopes a subscription's
 * sharing class holds: their resolvers read the viewer's identity (their own sign-up, their role in a
 * circle or organisation, whether they organise, are involved, or may name someone). A subscription
 * document that selects any of them is executed per person, never shared between subscribers.
 *
 * Adding a field whose resolver reads `viewer.personId` means adding it here; until it is, the fan-out's
 * run-time check still catches the read (and logs it), at the cost of executing that class again.
 * `checkViewerDependentFields` stops the server at boot when an entry names no field of the schema.
 */
export const VIEWER_DEPENDENT_FIELDS: readonly string[] = [
  // Help requests: whether the viewer is involved, organises the organisation that took it on, ...
  "HelpRequest.contact",
  "HelpRequest.history",
  "HelpRequest.volunteer",
  "HelpRequest.escalation",
  "HelpRequest.takenOnBy",
  // Initiatives and organisations: the viewer's own sign-up and role, what organisers see.
  "Initiative.mySignup",
  "Initiative.signups",
  "Organisation.members",
  "Organisation.myRole",
  "Organisation.initiatives",
  "Signup.contact",
  "Placement.contact",
  // Care circles: members only, each with their own role.
  "CareCircle.myRole",
  "CareCircle.shifts",
  "CareCircle.careReceiverContact",
  "CareCircleChange.circle",
  "CareCircleChange.shift",
  "CareShift.circle",
  "CareShift.notes",
  "CareShift.task",
  "CareSwap.shift",
  // Escalations: consent and the team decide what a professional may read or name.
  "Escalation.personDetails",
  "Escalation.consents",
  "EscalationAuditEntry.actor",
];

/** Stops the server at boot when the list names a type or field the schema does not have. */
export function checkViewerDependentFields(schema: GraphQLSchema, fields: readonly string[] = VIEWER_DEPENDENT_FIELDS): void {
  const missing = fields.filter((name) => {
    const [typeName, fieldName] = name.split(".");
    const type = schema.getType(typeName);
    return !type || !isObjectType(type) || !(fieldName in type.getFields());
  });
  if (missing.length) throw new Error(`viewer-dependent fields not in the schema: ${missing.join(", ")}`);
}

/**
 * Decides, once per document, whether a subscription's answer may depend on who asks: true when the
 * document selects a viewer-dependent field anywhere (in any operation or fragment; on an interface or
 * union, when any of its types' field is one).
 */
export class SharingClassifier {
  private readonly fields: ReadonlySet<string>;
  private readonly known = new WeakMap<DocumentNode, boolean>();

  constructor(
    private readonly schema: GraphQLSchema,
    fields: readonly string[] = VIEWER_DEPENDENT_FIELDS,
  ) {
    checkViewerDependentFields(schema, fields);
    this.fields = new Set(fields);
  }

  viewerDependent(document: DocumentNode): boolean {
    const known = this.known.get(document);
    if (known !== undefined) return known;
    let found = false;
    const info = new TypeInfo(this.schema);
    visit(
      document,
      visitWithTypeInfo(info, {
        Field: (node) => {
          const parent = info.getParentType();
          if (parent && this.depends(parent, node.name.value)) {
            found = true;
            return false;
          }
          return undefined;
        },
      }),
    );
    this.known.set(document, found);
    return found;
  }

  private depends(parent: GraphQLNamedType, field: string): boolean {
    if (this.fields.has(`${parent.name}.${field}`)) return true;
    if (isAbstractType(parent)) {
      return this.schema.getPossibleTypes(parent).some((t) => this.fields.has(`${getNamedType(t).name}.${field}`));
    }
    return false;
  }
}

/**
 * A viewer that notes whether its identity was read. A shared execution runs with one, so a resolver
 * that reads `personId` for a field missing from VIEWER_DEPENDENT_FIELDS cannot hand one subscriber's
 * answer to another: the fan-out sees the read and executes the others alone.
 */
export function watchedViewer(viewer: Viewer): { viewer: Viewer; identityRead: () => boolean } {
  let read = false;
  const watched: Viewer = {
    get personId() {
      read = true;
      return viewer.personId;
    },
    roles: viewer.roles,
    tokenExpiresAt: viewer.tokenExpiresAt,
  };
  return { viewer: watched, identityRead: () => read };
}
