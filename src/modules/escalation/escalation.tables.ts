import type { Kit } from "../../db/kit.js";
import type { HelpRequestTables } from "../help-requests/help-request.tables.js";
import type { PersonTables } from "../people/person.tables.js";
import type { PlaceTables } from "../places/place.tables.js";

export type EscalationTrigger = "OPEN_TOO_LONG" | "REPEATEDLY_RELEASED" | "FLAGGED" | "CARE_OVERLOAD" | "DIRECT_REQUEST" | "MISSED_SHIFTS" | "MISSED_CHECKINS";
export type FlagReason = "TOO_COMPLEX" | "HEALTH" | "FINANCIAL" | "HOUSING" | "SAFETY" | "OTHER";
export type EscalationStatus = "NEW" | "ACKNOWLEDGED" | "IN_CARE" | "CLOSED";
export type EscalationOutcome = "PROFESSIONAL_SUPPORT" | "HANDED_BACK" | "REFERRED" | "NO_ACTION";
export type ContactChannel = "PHONE" | "VISIT" | "MEETING" | "MESSAGE" | "EMAIL" | "VIDEO";
export type AuditKind =
  "RAISED" | "ACKNOWLEDGED" | "ASSIGNED" | "IN_CARE" | "CLOSED" | "REROUTED" | "CONSENT_REQUESTED" | "CONSENT_GIVEN" | "CONSENT_WITHDRAWN" | "SAFETY_BYPASS" | "DETAILS_READ";

/** Escalations to professional teams (opschaling), their audit trail, and consent records. */
export function defineEscalationTables(k: Kit, core: PlaceTables & PersonTables & HelpRequestTables) {
  const escalations = k.table(
    "escalations",
    {
      id: k.text("id").primaryKey(),
      /** Makes every trigger idempotent: one escalation per request generation, per care signal, ... */
      dedupeKey: k.text("dedupe_key").notNull().unique(),
      trigger: k.text("trigger").$type<EscalationTrigger>().notNull(),
      flagReason: k.text("flag_reason").$type<FlagReason>(),
      reasonNote: k.text("reason_note"),
      helpRequestId: k.text("help_request_id").references(() => core.helpRequests.id),
      circleId: k.text("circle_id"),
      /** The person the case is about. */
      subjectId: k
        .text("subject_id")
        .notNull()
        .references(() => core.people.id),
      /** Who raised it (null for a time-based trigger). */
      raisedById: k.text("raised_by_id"),
      neighbourhoodId: k
        .text("neighbourhood_id")
        .notNull()
        .references(() => core.neighbourhoods.id),
      categoryId: k.text("category_id"),
      urgency: k.text("urgency").$type<"LOW" | "NORMAL" | "HIGH" | "URGENT">().notNull(),
      leadTeamId: k
        .text("lead_team_id")
        .notNull()
        .references(() => core.teams.id),
      coTeamId: k.text("co_team_id").references(() => core.teams.id),
      routingNote: k.text("routing_note").notNull(),
      status: k.text("status").$type<EscalationStatus>().notNull(),
      outcome: k.text("outcome").$type<EscalationOutcome>(),
      assigneeId: k.text("assignee_id").references(() => core.people.id),
      /** SAFETY: details may be shared without consent; the legal basis is recorded. */
      consentBypassBasis: k.text("consent_bypass_basis"),
      createdAt: k.time("created_at").notNull(),
      acknowledgeBy: k.time("acknowledge_by").notNull(),
      acknowledgedAt: k.time("acknowledged_at"),
      closedAt: k.time("closed_at"),
      updatedAt: k.time("updated_at").notNull(),
    },
    (t) => [
      k.index("escalations_lead_queue_idx").on(t.leadTeamId, t.status, t.createdAt),
      k.index("escalations_co_queue_idx").on(t.coTeamId, t.status, t.createdAt),
      k.index("escalations_request_idx").on(t.helpRequestId),
      k.index("escalations_subject_idx").on(t.subjectId),
      // Retention: closed cases by when they closed (escalation.retention.ts).
      k.index("escalations_status_closed_idx").on(t.status, t.closedAt),
      // The statistics read a period of cases by creation date.
      k.index("escalations_created_idx").on(t.createdAt),
    ],
  );

  /** Append-only: every transition and every read of personal details. */
  const escalationAudit = k.table(
    "escalation_audit",
    {
      id: k.text("id").primaryKey(),
      escalationId: k
        .text("escalation_id")
        .notNull()
        .references(() => escalations.id),
      kind: k.text("kind").$type<AuditKind>().notNull(),
      actorId: k.text("actor_id"),
      note: k.text("note"),
      at: k.time("at").notNull(),
    },
    (t) => [k.index("escalation_audit_idx").on(t.escalationId, t.at)],
  );

  const consents = k.table(
    "consents",
    {
      id: k.text("id").primaryKey(),
      subjectId: k
        .text("subject_id")
        .notNull()
        .references(() => core.people.id),
      teamId: k
        .text("team_id")
        .notNull()
        .references(() => core.teams.id),
      purpose: k.text("purpose").notNull(),
      escalationId: k.text("escalation_id").references(() => escalations.id),
      givenById: k.text("given_by_id").notNull(),
      givenAt: k.time("given_at").notNull(),
      withdrawnById: k.text("withdrawn_by_id"),
      withdrawnAt: k.time("withdrawn_at"),
    },
    (t) => [k.index("consents_subject_team_idx").on(t.subjectId, t.teamId), k.index("consents_escalation_idx").on(t.escalationId)],
  );

  /** A team's notes and contact moments on a case (casework); read only by the case's teams. */
  const caseNotes = k.table(
    "case_notes",
    {
      id: k.text("id").primaryKey(),
      escalationId: k
        .text("escalation_id")
        .notNull()
        .references(() => escalations.id),
      authorId: k.text("author_id").notNull(),
      /** A contact moment has a channel and a time; a note has neither. */
      channel: k.text("channel").$type<ContactChannel>(),
      contactAt: k.time("contact_at"),
      body: k.text("body").notNull(),
      agreed: k.text("agreed"),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("case_notes_case_idx").on(t.escalationId, t.createdAt), k.index("case_notes_contact_idx").on(t.escalationId, t.contactAt)],
  );

  /** A case's documents: metadata here, the file in the DocumentStore under `storageKey`. */
  const caseDocuments = k.table(
    "case_documents",
    {
      id: k.text("id").primaryKey(),
      escalationId: k
        .text("escalation_id")
        .notNull()
        .references(() => escalations.id),
      uploadedById: k.text("uploaded_by_id").notNull(),
      fileName: k.text("file_name").notNull(),
      mediaType: k.text("media_type").notNull(),
      sizeBytes: k.int("size_bytes").notNull(),
      sha256: k.text("sha256").notNull(),
      storageKey: k.text("storage_key").notNull(),
      createdAt: k.time("created_at").notNull(),
    },
    (t) => [k.index("case_documents_case_idx").on(t.escalationId, t.createdAt)],
  );

  /** Each re-route of a case with its reason, for the receiving team. */
  const caseReroutes = k.table(
    "case_reroutes",
    {
      id: k.text("id").primaryKey(),
      escalationId: k
        .text("escalation_id")
        .notNull()
        .references(() => escalations.id),
      fromLeadTeamId: k.text("from_lead_team_id").notNull(),
      fromCoTeamId: k.text("from_co_team_id"),
      toLeadTeamId: k.text("to_lead_team_id").notNull(),
      toCoTeamId: k.text("to_co_team_id"),
      reason: k.text("reason").notNull(),
      byId: k.text("by_id").notNull(),
      at: k.time("at").notNull(),
    },
    (t) => [k.index("case_reroutes_case_idx").on(t.escalationId, t.at)],
  );

  return { escalations, escalationAudit, consents, caseNotes, caseDocuments, caseReroutes };
}

export type EscalationTables = ReturnType<typeof defineEscalationTables>;
