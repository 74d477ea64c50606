import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoInstant } from "../../src/shared/instant.js";
import { DateTimeISO } from "../../src/graphql/scalars.js";

// The whole range a Date can hold: ±100,000,000 days around 1970.
const LIMIT = 8.64e15;

describe("writing an instant as ISO 8601", () => {
  it("writes every instant exactly as Date.prototype.toISOString does", () => {
    fc.assert(
      fc.property(fc.integer({ min: -LIMIT, max: LIMIT }), (ms) => {
        expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it("gets the edges of days, months, leap years and centuries right", () => {
    const edges = [
      "0000-01-01T00:00:00.000Z",
      "0000-02-29T23:59:59.999Z",
      "1900-02-28T23:59:59.999Z",
      "1900-03-01T00:00:00.000Z",
      "1969-12-31T23:59:59.999Z",
      "1970-01-01T00:00:00.000Z",
      "2000-02-29T12:00:00.000Z",
      "2024-12-31T23:59:59.999Z",
      "2026-12-05T03:40:18.114Z",
      "9999-12-31T23:59:59.999Z",
    ];
    for (const edge of edges) {
      const ms = Date.parse(edge);
      for (const d of [-1, 0, 1]) expect(isoInstant(ms + d)).toBe(new Date(ms + d).toISOString());
    }
    // Beyond four-digit years toISOString writes six digits and a sign; the formatter hands those over.
    expect(isoInstant(Date.parse("+010000-01-01T00:00:00.000Z"))).toBe("+010000-01-01T00:00:00.000Z");
    expect(isoInstant(Date.parse("-000001-12-31T23:59:59.999Z"))).toBe("-000001-12-31T23:59:59.999Z");
  });

  it("keeps the DateTimeISO scalar's answers for dates, strings, numbers and refusals", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(-LIMIT), max: new Date(LIMIT), noInvalidDate: true }), (date) => {
        expect(DateTimeISO.serialize(date)).toBe(date.toISOString());
        // graphql-scalars reads only four-digit years from a string.
        const year = date.getUTCFullYear();
        if (year >= 1 && year <= 9999) expect(DateTimeISO.serialize(date.toISOString())).toBe(date.toISOString());
      }),
    );
    expect(DateTimeISO.serialize(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(() => DateTimeISO.serialize(new Date(Number.NaN))).toThrow(/invalid Date/);
    expect(() => DateTimeISO.serialize("yesterday")).toThrow(/invalid date-time/);
    expect(DateTimeISO.name).toBe("DateTimeISO");
  });
});
