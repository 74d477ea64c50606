import type { Clock } from "../../shared/clock.js";
import { type Viewer, requireViewer } from "../../shared/viewer.js";
import type { TokenService } from "../people/auth.tokens.js";
import type { CareCircleService } from "./care-circle.service.js";
import type { CareScheduleService } from "./care-schedule.service.js";
import type { CareTaskService } from "./care-task.service.js";
import type { ShiftRow, TaskRow } from "./care.rows.js";
import type { CareSettings } from "./care.settings.js";

const HOUR = 3600_000;

/** Private calendar feeds: a signed, revocable URL per member and circle (served by care.calendar.ts). */
export class CareCalendarService {
  constructor(
    private readonly circles: CareCircleService,
    private readonly tasks: CareTaskService,
    private readonly schedule: CareScheduleService,
    private readonly tokens: TokenService,
    private readonly clock: Clock,
    private readonly settings: Pick<CareSettings, "horizonWeeks" | "publicUrl">,
  ) {}

  async calendarUrl(viewer: Viewer, circleId: string, revoke: boolean): Promise<string> {
    const { me } = await this.circles.getCircle(viewer, circleId);
    const version = revoke ? await this.circles.bumpCalendarVersion(circleId, me.personId) : me.calendarVersion;
    const token = await this.tokens.signCapability("calendar", { c: circleId, p: me.personId, v: version });
    return `${this.settings.publicUrl.replace(/\/$/, "")}/calendar/${token}.ics`;
  }

  /**
   * A volunteer's private feed of the gap shifts they cover, in any circle (they are not members, so
   * they have no circle feed). A shift is in it while they cover it: handed back, it drops out.
   */
  async coverCalendarUrl(viewer: Viewer): Promise<string> {
    const v = requireViewer(viewer);
    const token = await this.tokens.signCapability("calendar", { k: "cover", p: v.personId });
    return `${this.settings.publicUrl.replace(/\/$/, "")}/calendar/${token}.ics`;
  }

  /** The shifts for a feed token, or null when the token is invalid or revoked. */
  async calendarFor(token: string): Promise<{ name: string; shifts: ShiftRow[]; tasks: Map<string, TaskRow> } | null> {
    const claims = await this.tokens.verifyCapability("calendar", token);
    if (claims?.k === "cover" && typeof claims.p === "string") return this.coverFeed(claims.p);
    if (!claims || typeof claims.c !== "string" || typeof claims.p !== "string") return null;
    const member = await this.circles.member(claims.c, claims.p);
    if (!member || member.calendarVersion !== claims.v) return null;
    const circle = await this.circles.findCircleRow(claims.c);
    if (!circle) return null;
    const now = this.clock.now();
    const shifts = await this.schedule.heldShifts(
      claims.p,
      new Date(now.getTime() - 30 * 24 * HOUR),
      new Date(now.getTime() + this.settings.horizonWeeks * 7 * 24 * HOUR),
      claims.c,
    );
    const tasks = new Map((await this.tasks.tasks(claims.c, true)).map((t) => [t.id, t]));
    return { name: circle.name, shifts, tasks };
  }

  private async coverFeed(personId: string) {
    const now = this.clock.now();
    const held = await this.schedule.heldShifts(personId, new Date(now.getTime() - 30 * 24 * HOUR), new Date(now.getTime() + this.settings.horizonWeeks * 7 * 24 * HOUR));
    // Only what they hold through a gap's help request: shifts they hold as a member are in that circle's feed.
    const shifts = held.filter((s) => s.helpRequestId !== null);
    const tasks = new Map((await this.tasks.findTasksByIds([...new Set(shifts.map((s) => s.taskId))])).map((t) => [t.id, t]));
    return { name: "Diensten die je overneemt", shifts, tasks };
  }
}
