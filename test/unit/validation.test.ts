import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../src/shared/pagination.js";
import { typeOfId, newId } from "../../src/shared/ids.js";
import { ageOn, text } from "../../src/shared/validation.js";

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

  it("rejects text with a control character other than tab, line feed and carriage return", () => {
    const field = text(0, 100);
    const controls = [...Array.from({ length: 0x20 }, (_, code) => code).filter((code) => ![0x09, 0x0a, 0x0d].includes(code)), 0x7f];
    for (const code of controls) expect(field.safeParse(`a${String.fromCharCode(code)}b`).success, `U+${code.toString(16).padStart(4, "0")}`).toBe(false);
    expect(field.safeParse("regel 1\r\n\tregel 2 é € 😀").success).toBe(true);
  });

  it("knows the type of an id by its prefix", () => {
    expect(typeOfId(newId("HelpRequest"))).toBe("HelpRequest");
    expect(typeOfId("nb_dordrecht-wielwijk")).toBe("Neighbourhood");
    expect(typeOfId("garbage")).toBeUndefined();
  });
});
