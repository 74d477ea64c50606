import { describe, expect, it } from "vitest";
import { type Recurrence, occurrences, weekOf } from "../../src/modules/care/recurrence.js";

const base: Recurrence = { startDate: "2026-10-05", startTime: "10:00", durationMinutes: 120, weekdays: [1, 4], intervalWeeks: 1, endDate: null };
const utc = (s: string) => new Date(s);

describe("care task recurrence (Europe/Amsterdam)", () => {
  it("repeats on the given weekdays at the same wall-clock time across the end of summer time", () => {
    const list = occurrences(base, utc("2026-10-19T00:00:00Z"), utc("2026-11-03T00:00:00Z"));
    expect(list.map((o) => o.occurrence)).toEqual(["2026-10-19", "2026-10-22", "2026-10-26", "2026-10-29", "2026-11-02"]);
    // 10:00 CEST is 08:00Z before 25 October; 10:00 CET is 09:00Z after it.
    expect(list[1].startsAt.toISOString()).toBe("2026-10-22T08:00:00.000Z");
    expect(list[2].startsAt.toISOString()).toBe("2026-10-26T09:00:00.000Z");
    expect(list[2].endsAt.getTime() - list[2].startsAt.getTime()).toBe(2 * 3600_000);
  });

  it("keeps real elapsed duration for a shift that spans the DST change night", () => {
    const night: Recurrence = { ...base, startTime: "22:00", durationMinutes: 8 * 60, weekdays: [6] };
    const [o] = occurrences(night, utc("2026-10-24T00:00:00Z"), utc("2026-10-25T00:00:00Z"));
    expect(o.startsAt.toISOString()).toBe("2026-10-24T20:00:00.000Z");
    expect(o.endsAt.toISOString()).toBe("2026-10-25T04:00:00.000Z");
  });

  it("moves a time skipped by the spring change forward instead of dropping the occurrence", () => {
    const r: Recurrence = { ...base, startDate: "2027-03-01", startTime: "02:30", weekdays: [7] };
    const list = occurrences(r, utc("2027-03-27T00:00:00Z"), utc("2027-03-30T00:00:00Z"));
    expect(list).toHaveLength(1);
    expect(list[0].occurrence).toBe("2027-03-28");
    expect(list[0].startsAt.toISOString()).toBe("2027-03-28T01:30:00.000Z");
  });

  it("honours every-N-weeks from the week of the start date, the start date itself and the end date", () => {
    const r: Recurrence = { ...base, startDate: "2026-10-07", weekdays: [1, 3], intervalWeeks: 2, endDate: "2026-11-02" };
    const list = occurrences(r, utc("2026-09-01T00:00:00Z"), utc("2027-01-01T00:00:00Z"));
    // Week of 5 Oct: Monday 5 Oct is before the start date; Wednesday 7 Oct counts. Then weeks of 19 Oct and 2 Nov.
    expect(list.map((o) => o.occurrence)).toEqual(["2026-10-07", "2026-10-19", "2026-10-21", "2026-11-02"]);
  });

  it("handles a one-off task", () => {
    const r: Recurrence = { ...base, weekdays: [], startDate: "2026-12-24", startTime: "18:00" };
    expect(occurrences(r, utc("2026-12-01T00:00:00Z"), utc("2027-01-01T00:00:00Z")).map((o) => o.occurrence)).toEqual(["2026-12-24"]);
    expect(occurrences(r, utc("2026-12-25T00:00:00Z"), utc("2027-01-01T00:00:00Z"))).toEqual([]);
  });

  it("names the local Monday of a week", () => {
    expect(weekOf(utc("2026-10-25T23:30:00Z"))).toBe("2026-10-26"); // already Monday 00:30 in Amsterdam
    expect(weekOf(utc("2026-10-25T12:00:00Z"))).toBe("2026-10-19");
  });
});
