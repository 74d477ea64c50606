import { createHash } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { DomainError, badInput, forbidden, notFound } from "../../shared/errors.js";
import { newId, newSortableId } from "../../shared/ids.js";
import { optionalText, parseInput, text } from "../../shared/validation.js";
import { type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { PersonService } from "../people/person.service.js";
import { type DocumentStore, sniffMediaType } from "./case-document.store.js";
import { CaseWorkReason as C } from "./case-work.errors.js";
import type { CaseDocumentRow, CaseNoteRow, CaseWorkRepository } from "./case-work.repository.js";
import { EscalationReason as R } from "./escalation.errors.js";
import type { EscalationRow } from "./escalation.repository.js";
import type { EscalationService } from "./escalation.service.js";
import type { ContactChannel } from "./escalation.tables.js";

/** What a team records on a case: a note, or a contact moment (with a channel and a time). */
export interface NoteInput {
  body: string;
  channel?: ContactChannel | null;
  contactAt?: Date | null;
  agreed?: string | null;
}

const NOTE = z.object({ body: text(1, 4000), agreed: optionalText(2000) });
const FILE_NAME = text(1, 200);

/** Why a document was refused, as the HTTP route answers it. */
export const documentTooLarge = () => badInput(C.DOCUMENT_TOO_LARGE, "The document is larger than this server accepts.");

/**
 * Casework on a case: notes and contact moments, and documents. Only the professionals of the case's
 * lead and co-team read or write them (docs/decisions.md: casework): not coordinators, whatever the
 * case's basis, and never the person's relatives or volunteers. Every read of them is access-logged
 * as a read of the person's data.
 */
export class CaseWorkService {
  constructor(
    private readonly repo: CaseWorkRepository,
    private readonly escalation: EscalationService,
    private readonly people: PersonService,
    private readonly accessLog: AccessLogService,
    private readonly store: DocumentStore,
    private readonly clock: Clock,
    readonly maxDocumentBytes: number,
  ) {}

  /** The case, for a professional of its lead or co-team; FORBIDDEN for others who see the case, NOT_FOUND for the rest. */
  async requireTeam(viewer: Viewer, caseId: string): Promise<EscalationRow> {
    const v = requireViewer(viewer);
    const row = await this.escalation.find(caseId);
    const teamId = row && hasRole(v, "PROFESSIONAL") ? ((await this.people.findById(v.personId))?.teamId ?? null) : null;
    if (row && teamId && (teamId === row.leadTeamId || teamId === row.coTeamId)) return row;
    if (row && (await this.escalation.findVisible(v, caseId))) {
      throw forbidden(C.CASEWORK_TEAM_ONLY, "Only the professionals of the case's lead and co-team read and write its notes and documents.");
    }
    throw notFound(R.ESCALATION_NOT_FOUND, "No escalation with this id is visible to you.");
  }

  private async mayRead(viewer: Viewer, caseId: string): Promise<EscalationRow | null> {
    return this.requireTeam(viewer, caseId).catch(() => null);
  }

  async addNote(viewer: Viewer, caseId: string, input: NoteInput): Promise<CaseNoteRow> {
    const row = await this.requireTeam(viewer, caseId);
    const { body, agreed } = parseInput(NOTE, { body: input.body, agreed: input.agreed });
    const now = this.clock.now();
    const channel = input.channel ?? null;
    const contactAt = channel ? (input.contactAt ?? now) : null;
    // A contact moment happened: not before the case existed, not in the future (a minute's slack for clocks).
    if (contactAt && (contactAt.getTime() < row.createdAt.getTime() || contactAt.getTime() > now.getTime() + 60_000)) {
      throw badInput(C.CONTACT_TIME_INVALID, "input.contactAt: a contact moment lies between the case's start and now", "input.contactAt");
    }
    const note: CaseNoteRow = { id: newSortableId("CaseNote"), escalationId: row.id, authorId: viewer.personId!, channel, contactAt, body, agreed, createdAt: now };
    await this.repo.insertNote(note);
    return note;
  }

  /** A case's notes and contact moments, oldest first; the read is logged. */
  async notes(viewer: Viewer, row: EscalationRow): Promise<CaseNoteRow[]> {
    await this.requireTeam(viewer, row.id);
    const notes = await this.repo.notes(row.id);
    if (notes.length) await this.accessLog.record(viewer.personId!, row.subjectId, ["caseNotes"], "casework", row.id, { viewer });
    return notes;
  }

  /** One note by id (node(id)), or null for anyone but the case's teams. */
  async findNote(viewer: Viewer, id: string): Promise<CaseNoteRow | null> {
    const note = await this.repo.findNote(id);
    const row = note && (await this.mayRead(viewer, note.escalationId));
    if (!note || !row) return null;
    await this.accessLog.record(viewer.personId!, row.subjectId, ["caseNotes"], "casework", note.id, { viewer });
    return note;
  }

  async documents(viewer: Viewer, row: EscalationRow): Promise<CaseDocumentRow[]> {
    await this.requireTeam(viewer, row.id);
    return this.repo.documents(row.id);
  }

  async findDocument(viewer: Viewer, id: string): Promise<CaseDocumentRow | null> {
    const doc = await this.repo.findDocument(id);
    return doc && (await this.mayRead(viewer, doc.escalationId)) ? doc : null;
  }

  /**
   * Adds a file to a case: at most `maxDocumentBytes`, and of an allowed kind by its first bytes (the
   * name and the sender's content type are not trusted). The bytes are stored before the row, so a
   * row never points at nothing; a failed insert removes them again.
   */
  async upload(viewer: Viewer, caseId: string, fileName: string | null, bytes: Buffer): Promise<CaseDocumentRow> {
    const row = await this.requireTeam(viewer, caseId);
    if (bytes.length > this.maxDocumentBytes) throw documentTooLarge();
    const kind = sniffMediaType(bytes);
    if (!kind) throw badInput(C.DOCUMENT_TYPE_NOT_ALLOWED, "Only PDF, PNG and JPEG files can be added to a case.");
    // Only the last part of a path, and the extension the content has, whatever the name said.
    const base = (fileName ?? "")
      .split(/[\\/]/)
      .pop()!
      .replace(/\.[A-Za-z0-9]{1,5}$/, "");
    const name = `${parseInput(FILE_NAME, base || "document", "name")}.${kind.extension}`;
    const doc: CaseDocumentRow = {
      id: newSortableId("CaseDocument"),
      escalationId: row.id,
      uploadedById: viewer.personId!,
      fileName: name,
      mediaType: kind.mediaType,
      sizeBytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      storageKey: newId("CaseDocument"),
      createdAt: this.clock.now(),
    };
    await this.store.put(doc.storageKey, bytes);
    try {
      await this.repo.insertDocument(doc);
    } catch (err) {
      await this.store.delete(doc.storageKey);
      throw err;
    }
    return doc;
  }

  /** A document's bytes for a professional of the case's teams; each read is logged. */
  async download(viewer: Viewer, id: string): Promise<{ doc: CaseDocumentRow; bytes: Buffer }> {
    const doc = await this.repo.findDocument(id);
    const row = doc && (await this.mayRead(viewer, doc.escalationId));
    const bytes = doc && row ? await this.store.get(doc.storageKey) : null;
    if (!doc || !row || !bytes) throw notFound(C.DOCUMENT_NOT_FOUND, "No document with this id is visible to you.");
    await this.accessLog.record(viewer.personId!, row.subjectId, ["caseDocument"], "casework", doc.id, { viewer });
    return { doc, bytes };
  }

  /** For a refusal the HTTP route turns into JSON. */
  static isRefusal(err: unknown): err is DomainError {
    return err instanceof DomainError;
  }
}
