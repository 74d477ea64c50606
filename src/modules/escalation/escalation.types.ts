import { Extensions, Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { DateTimeISO } from "../../graphql/scalars.js";
import { Node, connectionTypes } from "../../graphql/relay.js";
import { HelpRequestStatus, Urgency } from "../help-requests/help-request.type.js";
import { Person } from "../people/person.types.js";
import { Team } from "../places/place.types.js";
import type { AuditRow, EscalationRow } from "./escalation.repository.js";

export enum EscalationTrigger {
  OPEN_TOO_LONG = "OPEN_TOO_LONG",
  REPEATEDLY_RELEASED = "REPEATEDLY_RELEASED",
  FLAGGED = "FLAGGED",
  CARE_OVERLOAD = "CARE_OVERLOAD",
  DIRECT_REQUEST = "DIRECT_REQUEST",
  MISSED_SHIFTS = "MISSED_SHIFTS",
  MISSED_CHECKINS = "MISSED_CHECKINS",
}
registerEnumType(EscalationTrigger, {
  name: "EscalationTrigger",
  description: "Why a case went to a professional team.",
  valuesConfig: {
    OPEN_TOO_LONG: { description: "A help request stayed open past the time allowed for its urgency." },
    REPEATEDLY_RELEASED: { description: "Released or unmatched repeatedly." },
    FLAGGED: { description: "A volunteer or circle member flagged it as needing a professional." },
    CARE_OVERLOAD: { description: "A mantelzorger's sustained overload." },
    DIRECT_REQUEST: { description: "A resident, wijkwinkel or mantelzorger asked for professional help directly." },
    MISSED_SHIFTS: { description: "A care circle missed several shifts within a short time (CARE_MISSED_SHIFTS_LIMIT in CARE_MISSED_SHIFTS_DAYS)." },
    MISSED_CHECKINS: {
      description: "A buddy match missed several check-ins in a row and no coordinator of its programme acknowledged the signal: the participant's situation goes to a team.",
    },
  },
});

export enum FlagReason {
  TOO_COMPLEX = "TOO_COMPLEX",
  HEALTH = "HEALTH",
  FINANCIAL = "FINANCIAL",
  HOUSING = "HOUSING",
  SAFETY = "SAFETY",
  OTHER = "OTHER",
}
registerEnumType(FlagReason, {
  name: "FlagReason",
  description: "What the informal network cannot carry. SAFETY lets details reach the team without consent (recorded with its legal basis).",
  valuesConfig: {
    TOO_COMPLEX: { description: "Beyond what volunteers can do: it needs professional skills or lasting support." },
    HEALTH: { description: "A concern about physical or mental health." },
    FINANCIAL: { description: "Money problems, e.g. debts (schulden) or bills that go unpaid." },
    HOUSING: { description: "Housing problems, e.g. threatened eviction or a home that is unsafe or unsuitable." },
    SAFETY: { description: "Someone may be unsafe (e.g. violence, abuse or neglect): the case is URGENT and the team sees the person's details without consent." },
    OTHER: { description: "Another reason, explained in the note." },
  },
});

export enum EscalationStatus {
  NEW = "NEW",
  ACKNOWLEDGED = "ACKNOWLEDGED",
  IN_CARE = "IN_CARE",
  CLOSED = "CLOSED",
}
registerEnumType(EscalationStatus, {
  name: "EscalationStatus",
  description: "Lifecycle: NEW -> ACKNOWLEDGED -> IN_CARE -> CLOSED.",
  valuesConfig: {
    NEW: { description: "Waiting in the team's queue; overdue once its target time to acknowledge has passed." },
    ACKNOWLEDGED: { description: "A professional of the lead or co-team has taken note of it." },
    IN_CARE: { description: "The team is working on the case with the person." },
    CLOSED: { description: "Finished; `outcome` says how." },
  },
});

export enum EscalationOutcome {
  PROFESSIONAL_SUPPORT = "PROFESSIONAL_SUPPORT",
  HANDED_BACK = "HANDED_BACK",
  REFERRED = "REFERRED",
  NO_ACTION = "NO_ACTION",
}
registerEnumType(EscalationOutcome, {
  name: "EscalationOutcome",
  description: "How a case ended. HANDED_BACK re-opens the help request to volunteers.",
  valuesConfig: {
    PROFESSIONAL_SUPPORT: { description: "The team gives, or has arranged, professional support itself." },
    HANDED_BACK: { description: "Handed back to the informal network: the help request behind it, if any, is open to volunteers again with the team's note." },
    REFERRED: { description: "Referred to another organisation or service (doorverwezen)." },
    NO_ACTION: { description: "The team found that no professional help is needed." },
  },
});

export enum DetailsBasis {
  CONSENT = "CONSENT",
  SAFETY_BYPASS = "SAFETY_BYPASS",
}
registerEnumType(DetailsBasis, {
  name: "DetailsBasis",
  description: "Why a team may see who the person is.",
  valuesConfig: {
    CONSENT: {
      description: "Consent (toestemming) for this team on this case, given by the person (or whoever asked for someone without an account or a child), and not withdrawn.",
    },
    SAFETY_BYPASS: { description: "A SAFETY flag let the details through without consent, on the legal basis recorded in `consentBypassBasis`." },
  },
});

export enum AuditKind {
  RAISED = "RAISED",
  ACKNOWLEDGED = "ACKNOWLEDGED",
  ASSIGNED = "ASSIGNED",
  IN_CARE = "IN_CARE",
  CLOSED = "CLOSED",
  REROUTED = "REROUTED",
  CONSENT_REQUESTED = "CONSENT_REQUESTED",
  CONSENT_GIVEN = "CONSENT_GIVEN",
  CONSENT_WITHDRAWN = "CONSENT_WITHDRAWN",
  SAFETY_BYPASS = "SAFETY_BYPASS",
  DETAILS_READ = "DETAILS_READ",
}
registerEnumType(AuditKind, {
  name: "EscalationAuditKind",
  description: "An entry in a case's audit trail.",
  valuesConfig: {
    RAISED: { description: "The case was raised; the note gives the trigger, any flag reason and the routing rule that applied." },
    ACKNOWLEDGED: { description: "A professional acknowledged the case." },
    ASSIGNED: { description: "The case was assigned to a professional of the lead or co-team." },
    IN_CARE: { description: "The team started working on the case with the person." },
    CLOSED: { description: "The case was closed; the note gives the outcome and the team's note." },
    REROUTED: { description: "A coordinator sent the case to another lead team (and co-team)." },
    CONSENT_REQUESTED: { description: "A professional asked for consent to see who the person is." },
    CONSENT_GIVEN: { description: "Consent (toestemming) was given for the case's teams; the note gives its purpose." },
    CONSENT_WITHDRAWN: { description: "Consent for the case's teams was withdrawn." },
    SAFETY_BYPASS: {
      description:
        "A SAFETY flag (when the case was raised, or later on the open case, which it made URGENT) let the details through without consent; the note gives the legal basis.",
    },
    DETAILS_READ: {
      description:
        "A professional read who the person is; the note gives the basis (CONSENT or SAFETY_BYPASS) and the record it rests on (the consent record's id, or the case's safety bypass).",
    },
  },
});

/**
 * The columns of a case the Escalation type shows as they are. A case's row is the source of an
 * Escalation (its field resolvers read the row's team, person and place ids), so the fields are typed
 * by the row: the compiler checks that a row holds every field, with a value the schema accepts.
 */
type EscalationColumns = Pick<
  EscalationRow,
  | "id"
  | "trigger"
  | "flagReason"
  | "reasonNote"
  | "routingNote"
  | "urgency"
  | "status"
  | "outcome"
  | "createdAt"
  | "acknowledgeBy"
  | "acknowledgedAt"
  | "closedAt"
  | "consentBypassBasis"
>;

@ObjectType("Escalation", {
  implements: Node,
  description:
    "A case handed to a professional team (opschaling): why, where it was routed, its place in the team's queue, consent and audit trail. Visible to the lead and co-team and coordinators.",
})
export class Escalation extends Node implements EscalationColumns {
  @Field(() => EscalationTrigger, { description: "Why it was raised." })
  trigger!: EscalationColumns["trigger"];
  @Field(() => FlagReason, { nullable: true, description: "The reason given with a flag or direct request." })
  flagReason!: EscalationColumns["flagReason"];
  @Field(() => String, { nullable: true, description: "The note given with it." })
  reasonNote!: string | null;
  @Field(() => String, { description: "Which routing rule applied." })
  routingNote!: string;
  @Field(() => Urgency, { description: "Urgency; sets the target time to acknowledge." })
  urgency!: EscalationColumns["urgency"];
  @Field(() => EscalationStatus, { description: "Where the case stands." })
  status!: EscalationColumns["status"];
  @Field(() => EscalationOutcome, { nullable: true, description: "How it ended." })
  outcome!: EscalationColumns["outcome"];
  @Field(() => DateTimeISO, { description: "When it was raised." })
  createdAt!: Date;
  @Field(() => DateTimeISO, { description: "Target time to acknowledge it." })
  acknowledgeBy!: Date;
  @Field(() => DateTimeISO, { nullable: true, description: "When the team acknowledged it." })
  acknowledgedAt!: Date | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When it was closed." })
  closedAt!: Date | null;
  @Field(() => String, { nullable: true, description: "The legal basis recorded when a SAFETY flag let details through without consent." })
  consentBypassBasis!: string | null;
}

@ObjectType("CaseHistoryEntry", { description: "A status change of the help request behind a case, without names or notes." })
export class CaseHistoryEntry {
  @Field(() => HelpRequestStatus, { nullable: true, description: "Status before." })
  fromStatus!: HelpRequestStatus | null;
  @Field(() => HelpRequestStatus, { description: "Status after." })
  toStatus!: HelpRequestStatus;
  @Field(() => DateTimeISO, { description: "When." })
  at!: Date;
}

@ObjectType("PseudonymisedCase", { description: "What a team sees without consent: nothing that identifies the person." })
export class PseudonymisedCase {
  @Field(() => String, { description: "Age band, e.g. 18-27." })
  ageBand!: string;
  @Extensions({ maxItems: 30 })
  @Field(() => [CaseHistoryEntry], { description: "The help request's history, if the case came from one." })
  history!: CaseHistoryEntry[];
}

@ObjectType("CasePersonDetails", { description: "Who the case is about: with consent or a safety bypass only; every read is audited." })
export class CasePersonDetails {
  @Field(() => String, { description: "Full name." })
  fullName!: string;
  @Field(() => String, { nullable: true, description: "Address." })
  address!: string | null;
  @Field(() => String, { nullable: true, description: "Phone." })
  phone!: string | null;
  @Field(() => String, { nullable: true, description: "Birth date, YYYY-MM-DD." })
  birthDate!: string | null;
  @Field(() => DetailsBasis, { description: "Why the team may see this." })
  basis!: DetailsBasis;
  @Field(() => ID, { nullable: true, description: "With basis CONSENT: the consent record of this case (see `consents`) this read rests on; null for a SAFETY bypass." })
  consentId!: string | null;
}

/** An audit row is the source of an EscalationAuditEntry (`actor` reads its ids): the fields are typed by the row. */
type AuditColumns = Pick<AuditRow, "kind" | "note" | "at">;

@ObjectType("EscalationAuditEntry", { description: "One step in a case's audit trail (append-only)." })
export class EscalationAuditEntry implements AuditColumns {
  @Field(() => AuditKind, { description: "What happened." })
  kind!: AuditColumns["kind"];
  @Field(() => String, { nullable: true, description: "Details." })
  note!: string | null;
  @Field(() => DateTimeISO, { description: "When." })
  at!: Date;
}

@ObjectType("ConsentRecord", { description: "A recorded consent (toestemming): who gave it, when, for which team and purpose." })
export class ConsentRecord {
  @Field(() => ID, { description: "The record; reads of the person's details name it in the audit trail and the access log." })
  id!: string;
  @Field(() => Team, { description: "The team the details may go to." })
  team!: Team;
  @Field(() => String, { description: "Purpose." })
  purpose!: string;
  @Field(() => Person, {
    nullable: true,
    description: "Who gave it (the person, or for someone without an account or a child, whoever asked for them); named only while the team may see the details.",
  })
  givenBy!: Person | null;
  @Field(() => DateTimeISO, { description: "When it was given." })
  givenAt!: Date;
  @Field(() => Person, { nullable: true, description: "Who withdrew it; named only while the team may see the details." })
  withdrawnBy!: Person | null;
  @Field(() => DateTimeISO, { nullable: true, description: "When it was withdrawn." })
  withdrawnAt!: Date | null;
}

@ObjectType("EscalationUpdate", {
  description: "The status of a case, for everyone who may follow it: the residents and volunteers involved learn this, never the case details.",
})
export class EscalationUpdate {
  @Field(() => String, { description: "Id of the escalation." })
  escalationId!: string;
  @Field(() => EscalationStatus, { description: "Where the case stands." })
  status!: EscalationStatus;
  @Field(() => EscalationOutcome, { nullable: true, description: "How it ended." })
  outcome!: EscalationOutcome | null;
  @Field(() => Boolean, { description: "The team asked for consent to see the person's details." })
  consentRequested!: boolean;
  @Field(() => DateTimeISO, { description: "Last change." })
  updatedAt!: Date;
  @Field(() => String, { nullable: true, description: "On subscription events: position in the event log; pass it as `since` when you reconnect." })
  cursor?: string | null;
  @Field(() => String, { nullable: true, description: "On subscription events: what happened (the audit kind, e.g. ACKNOWLEDGED, CONSENT_REQUESTED)." })
  event?: string | null;
}

@ObjectType("EscalationFeedItem", { description: "A case arriving in a team's queue. Keep `cursor` and pass it as `since` when you reconnect." })
export class EscalationFeedItem {
  @Field(() => String, { description: "Position of this event in the event log." })
  cursor!: string;
  @Field(() => String, { description: "RAISED, REROUTED, or SAFETY_BYPASS (an open case upgraded by a SAFETY flag)." })
  kind!: string;
  @Field(() => Escalation, { description: "The case." })
  escalation!: Escalation;
}

export const EscalationConnection = connectionTypes("Escalation", Escalation, "escalations");
