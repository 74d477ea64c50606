import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../../shared/clock.js";
import { badInput, conflict, forbidden, notFound } from "../../shared/errors.js";
import type { Outbox } from "../../db/outbox.js";
import { newId } from "../../shared/ids.js";
import type { Language } from "../../shared/i18n.js";
import { email, parseInput, text } from "../../shared/validation.js";
import { type AuthenticatedViewer, type Viewer, hasRole, requireViewer } from "../../shared/viewer.js";
import type { AccessLogService } from "../access-log/access-log.service.js";
import type { AccountMail, AccountMailer } from "../people/account.mailer.js";
import type { PersonService } from "../people/person.service.js";
import type { CareCircleRepository, LeaveOutcome } from "./care-circle.repository.js";
import { CareReason as R } from "./care.errors.js";
import { CARE_INVITATION_SENT, type CareEvent, careInvitationTopic, changeWithEvents } from "./care.events.js";
import { invitationMail } from "./care-invitation.mail.js";
import type { CircleRow, MemberRow } from "./care.rows.js";
import type { CareSettings } from "./care.settings.js";
import type { Relation } from "./care.tables.js";

const RELATIONS = ["FAMILY", "FRIEND", "NEIGHBOUR", "VOLUNTEER", "OTHER"] as const;
const HOUR = 3600_000;
/** An invitee's first name as typed goes into an e-mail: one line, no markup characters. */
const ONE_LINE_NAME = /^[^\p{Cc}<>]+$/u;

/**
 * Care circles and who is in them: starting a circle, membership by single-use invitation, leaving and
 * handing coordination over. The other parts of the module ask it whether the viewer is a member or
 * the coordinator.
 */
export class CareCircleService {
  constructor(
    private readonly repo: CareCircleRepository,
    private readonly people: PersonService,
    private readonly accessLog: AccessLogService,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
    private readonly settings: Pick<CareSettings, "invitationTtlHours" | "emailInvitationsPerDay" | "appUrl" | "publicUrl">,
    private readonly mailer?: Pick<AccountMailer, "send">,
    private readonly reportError?: (err: unknown, context: string) => void,
  ) {}

  private readonly sending = new Set<Promise<void>>();

  async createCircle(viewer: Viewer, input: { name: string; relation?: Relation | null; careReceiverId?: string | null; careReceiver?: unknown }) {
    const v = requireViewer(viewer);
    if (!hasRole(v, "MANTELZORGER")) throw forbidden(R.MANTELZORGER_ONLY, "Only a mantelzorger can start a care circle.");
    const name = parseInput(text(1, 120), input.name, "input.name");
    const relation = parseInput(z.enum(RELATIONS), input.relation ?? "FAMILY", "input.relation");
    let receiver;
    if (input.careReceiverId && input.careReceiver) {
      throw badInput(R.INVALID_INPUT, "input.careReceiver: give careReceiverId or careReceiver, not both", "input.careReceiver");
    } else if (input.careReceiverId) {
      receiver = await this.people.findById(input.careReceiverId);
      if (!receiver || (receiver.createdById !== v.personId && receiver.id !== v.personId)) {
        throw badInput(R.UNKNOWN_CARE_RECEIVER, "input.careReceiverId: not a person you registered", "input.careReceiverId");
      }
    } else if (input.careReceiver) {
      receiver = await this.people.createPersonHelped(v, input.careReceiver, "input.careReceiver");
    } else {
      throw badInput(R.INVALID_INPUT, "input.careReceiver: say who receives the care", "input.careReceiver");
    }
    if (!receiver.neighbourhoodId) {
      throw badInput(R.NEIGHBOURHOOD_REQUIRED, "input.careReceiver.neighbourhoodId: the care receiver needs a neighbourhood", "input.careReceiver");
    }
    const now = this.clock.now();
    const circle: CircleRow = { id: newId("CareCircle"), name, careReceiverId: receiver.id, neighbourhoodId: receiver.neighbourhoodId, createdById: v.personId, createdAt: now };
    await this.repo.insertCircle(circle, { personId: v.personId, role: "COORDINATOR", relation, joinedAt: now, leftAt: null, calendarVersion: 1 });
    return circle;
  }

  /** The circle if the viewer is a member; NOT_FOUND otherwise (its existence is not revealed). */
  async getCircle(viewer: Viewer, id: string): Promise<{ circle: CircleRow; me: MemberRow }> {
    const v = requireViewer(viewer);
    const [circle, me] = await Promise.all([this.repo.findCircle(id), this.repo.member(id, v.personId)]);
    if (!circle || !me) throw notFound(R.CARE_CIRCLE_NOT_FOUND, "No care circle with this id has you as a member.");
    return { circle, me };
  }

  /** The circle if the viewer is a member; NOT_FOUND when not, FORBIDDEN when they are not its coordinator. */
  async requireCoordinator(viewer: Viewer, circleId: string) {
    const { circle, me } = await this.getCircle(viewer, circleId);
    if (me.role !== "COORDINATOR") throw forbidden(R.CIRCLE_COORDINATOR_ONLY, "Only the circle's coordinator can do this.");
    return { circle, me, v: viewer as AuthenticatedViewer };
  }

  async findVisibleCircle(viewer: Viewer, id: string): Promise<CircleRow | null> {
    if (!viewer.personId) return null;
    const member = await this.repo.member(id, viewer.personId);
    return member ? ((await this.repo.findCircle(id)) ?? null) : null;
  }

  /** The stored circle, without a membership check (for other modules' and parts' own rules). */
  findCircleRow(id: string) {
    return this.repo.findCircle(id);
  }

  /** A current member of the circle, without a check on who asks (for the other parts' own rules). */
  member(circleId: string, personId: string) {
    return this.repo.member(circleId, personId);
  }

  myCircles(viewer: Viewer) {
    return this.repo.circlesOf(requireViewer(viewer).personId);
  }

  members(circleId: string) {
    return this.repo.members(circleId);
  }

  allCircleIds() {
    return this.repo.allCircleIds();
  }

  /** The care receiver's contact details, for members; each read is logged. */
  async careReceiverContact(viewer: Viewer, circle: CircleRow) {
    const { me } = await this.getCircle(viewer, circle.id);
    const person = await this.people.findById(circle.careReceiverId);
    if (!person) throw notFound(R.PERSON_NOT_FOUND, "The care receiver no longer exists.");
    await this.accessLog.record(me.personId, person.id, ["fullName", "address", "phone"], "care circle member", circle.id, { viewer });
    return { fullName: [person.firstName, person.lastName].filter(Boolean).join(" "), address: person.address, phone: person.phone };
  }

  /**
   * A single-use invitation code for the circle (coordinator only). With `invitee.email` it is also sent:
   * to an account with that address as a CARE_INVITATION notification (in their language, by their
   * preferences; they accept it by its id), otherwise as one e-mail with the join link in `language`.
   * The answer is the same either way and so is the work before it: the lookup is made for every
   * address, the same row and event are written, and the e-mail goes out after the answer. The address
   * is never stored (docs/decisions.md).
   */
  async invite(
    viewer: Viewer,
    circleId: string,
    relation: Relation | null | undefined,
    ttlHours?: number | null,
    invitee?: { email?: string | null; firstName?: string | null },
    language: Language = "nl",
  ) {
    const { v } = await this.requireCoordinator(viewer, circleId);
    const rel = parseInput(z.enum(RELATIONS), relation ?? "FAMILY", "relation");
    const hours = parseInput(
      z
        .number()
        .min(1)
        .max(24 * 30),
      ttlHours ?? this.settings.invitationTtlHours,
      "expiresInHours",
    );
    const address = invitee?.email == null ? null : email.safeParse(invitee.email);
    if (address && !address.success) throw badInput(R.INVITEE_EMAIL_INVALID, "email: must be an e-mail address of at most 254 characters", "email");
    if (invitee?.firstName != null && address === null) throw badInput(R.INVALID_INPUT, "firstName: give it with an email", "firstName");
    const firstName = invitee?.firstName == null ? null : parseInput(text(1, 60), invitee.firstName, "firstName");
    if (firstName !== null && !ONE_LINE_NAME.test(firstName)) throw badInput(R.INVALID_INPUT, "firstName: must be a name on one line, without < or >", "firstName");
    const code = randomBytes(9).toString("base64url");
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + hours * HOUR);
    const row = { id: newId("CareInvitation"), circleId, codeHash: hashCode(code), relation: rel, invitedById: v.personId, createdAt: now, expiresAt };
    if (!address) {
      await this.repo.insertInvitation(row);
      return { code, expiresAt };
    }
    const to = address.data;
    const [account, inviter] = await Promise.all([this.people.findAccountByEmail(to), this.people.findById(v.personId)]);
    const limit = this.settings.emailInvitationsPerDay ?? 10;
    const stored = await this.outbox.unit(async () => {
      const ok = await this.repo.insertInvitation({ ...row, byEmail: true, inviteePersonId: account?.id ?? null }, { max: limit, since: new Date(now.getTime() - 24 * HOUR) });
      // The same event whether or not the address has an account: the notification decides, and says nothing for none.
      if (ok) await this.outbox.emit([{ topic: careInvitationTopic(circleId), id: row.id, kind: CARE_INVITATION_SENT }]);
      return ok;
    });
    if (!stored) throw conflict(R.INVITATION_LIMIT_REACHED, "This circle sent {limit} invitations by e-mail in the last 24 hours; try again later.", { limit });
    if (!account) {
      const base = (this.settings.appUrl ?? this.settings.publicUrl).replace(/\/+$/, "");
      const mail = invitationMail(language, {
        to,
        firstName,
        inviterFirstName: inviter?.firstName ?? "",
        joinUrl: `${base}/care-circles/join?code=${encodeURIComponent(code)}`,
        code,
        expiresAt,
      });
      this.sendLater(mail);
    }
    return { code, expiresAt };
  }

  /** Joins with an invitation e-mailed to the viewer's account (by its id, as the notification links it). */
  async acceptInvitation(viewer: Viewer, invitationId: string) {
    return this.redeemed(viewer, { id: invitationId });
  }

  /**
   * Sends after the answer: the SMTP exchange only happens for addresses without an account, so waiting
   * for it would tell who has one. A lost mail is not retried; the coordinator invites again.
   */
  private sendLater(mail: AccountMail) {
    const sent = (async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      await this.mailer?.send(mail);
    })()
      .catch((err) => this.reportError?.(err, "sending a care circle invitation failed"))
      .finally(() => this.sending.delete(sent));
    this.sending.add(sent);
  }

  /** Waits for invitation e-mails still being sent (on stop). */
  async flush(): Promise<void> {
    await Promise.all([...this.sending]);
  }

  async join(viewer: Viewer, code: string) {
    return this.redeemed(viewer, { codeHash: hashCode(code.trim()) });
  }

  private async redeemed(viewer: Viewer, by: { codeHash: string } | { id: string }) {
    const v = requireViewer(viewer);
    const result = await changeWithEvents(
      this.outbox,
      () => this.repo.redeem(by, v.personId, this.clock.now()),
      (r) => (r.outcome === "OK" ? [[r.circleId!, "MEMBER_JOINED"]] : []),
    );
    switch (result.outcome) {
      case "UNKNOWN":
        throw notFound(R.INVITATION_UNKNOWN, "This invitation code is not known.");
      case "EXPIRED":
        throw conflict(R.INVITATION_EXPIRED, "This invitation has expired; ask for a new one.");
      case "USED":
        throw conflict(R.INVITATION_USED, "This invitation has already been used.");
      case "REVOKED":
        throw conflict(R.INVITATION_REVOKED, "The circle's coordinator withdrew this invitation.");
      case "ALREADY_MEMBER":
        throw conflict(R.ALREADY_A_MEMBER, "You are already a member of this circle.");
    }
    return (await this.repo.findCircle(result.circleId!))!;
  }

  /**
   * The viewer leaves. A coordinator who is the circle's only one names a successor among the members
   * (COORDINATOR_MUST_HAND_OVER otherwise), unless nobody else is left; the successor takes over in the
   * same transaction as the leaving (docs/decisions.md).
   */
  async leave(viewer: Viewer, circleId: string, successorId?: string | null): Promise<boolean> {
    const { me } = await this.getCircle(viewer, circleId);
    if (successorId) {
      if (me.role !== "COORDINATOR") throw forbidden(R.CIRCLE_COORDINATOR_ONLY, "Only the circle's coordinator can do this.");
      if (successorId === me.personId || !(await this.repo.member(circleId, successorId))) {
        throw badInput(R.NOT_A_CIRCLE_MEMBER, "successorId: must be another member of the circle", "successorId");
      }
    }
    const outcome = await this.endMembership(circleId, me.personId, successorId ?? null);
    if (!outcome.ok && outcome.reason === "LAST_COORDINATOR") {
      throw conflict(R.COORDINATOR_MUST_HAND_OVER, "Hand coordination over to another member before leaving.");
    }
    if (!outcome.ok) throw badInput(R.NOT_A_CIRCLE_MEMBER, "successorId: must be another member of the circle", "successorId");
    return true;
  }

  /**
   * Ends a membership (leaving or removal) with its events: future shifts held open up, pending swaps
   * are withdrawn, calendar feeds stop; `successor` becomes coordinator in the same transaction.
   */
  endMembership(circleId: string, personId: string, successor: string | null): Promise<LeaveOutcome> {
    return changeWithEvents(
      this.outbox,
      () => this.repo.endMembership(circleId, personId, this.clock.now(), successor),
      (o) =>
        o.ok
          ? [
              [circleId, "MEMBER_LEFT"],
              ...(o.promoted ? [[circleId, "COORDINATION_HANDED_OVER"] as CareEvent] : []),
              ...o.swapsWithdrawn.map((id): CareEvent => [circleId, "SWAP_WITHDRAWN", id]),
              ...o.reopened.map((id): CareEvent => [circleId, "SHIFT_RELEASED", id]),
            ]
          : [],
    );
  }

  async handOver(viewer: Viewer, circleId: string, toPersonId: string) {
    const { me, circle } = await this.requireCoordinator(viewer, circleId);
    if (toPersonId === me.personId || !(await this.repo.member(circleId, toPersonId))) {
      throw badInput(R.NOT_A_CIRCLE_MEMBER, "toPersonId: must be another member of the circle", "toPersonId");
    }
    const handedOver = await changeWithEvents(
      this.outbox,
      () => this.repo.handOver(circleId, me.personId, toPersonId),
      (ok) => (ok ? [[circleId, "COORDINATION_HANDED_OVER"]] : []),
    );
    if (!handedOver) {
      throw conflict(R.CIRCLE_COORDINATOR_ONLY, "Coordination changed in the meantime; reload and try again.");
    }
    return circle;
  }

  /** Revokes every calendar feed URL the member was given; returns the version new URLs carry. */
  bumpCalendarVersion(circleId: string, personId: string) {
    return this.repo.bumpCalendarVersion(circleId, personId);
  }
}

function hashCode(code: string): string {
  return createHash("sha256").update(code).digest("hex");
}
