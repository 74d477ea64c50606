import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../src/shared/pagination.js";
import { typeOfId, newId } from "../../src/shared/ids.js";
import { ageOn } from "../../src/shared/validation.js";

describe("shared helpers", () => {
  it("computes age in whole years around the birthday", () => {
    expect(ageOn("2010-06-15", new Date("2028-06-14T12:00:00Z"))).toBe(17);
    expect(ageOn("2010-06-15", new Date("2028-06-15T00:00:00Z"))).toBe(18);
    expect(ageOn("2008-02-29", new Date("2026-02-28T00:00:00Z"))).toBe(17);
  });

  it("round-trips cursors and rejects forged ones", () => {
    const c = encodeCursor({ sort: 1795000000000, id: "hr_abc" });
    expect(decodeCursor(c)).toEqual({ sort: 1795000000000, id: "hr_abc" });
    expect(() => decodeCursor("nope")).toThrow(/cursor/);
  });

  it("knows the type of an id by its prefix", () => {
    expect(typeOfId(newId("HelpRequest"))).toBe("HelpRequest");
    expect(typeOfId("nb_dordrecht-wielwijk")).toBe("Neighbourhood");
    expect(typeOfId("garbage")).toBeUndefined();
  });
});
