import { describe, expect, it } from "vitest";
import { TokenService } from "../../src/modules/people/auth.tokens.js";

const SECRET = "a-secret-of-the-token-cache-test-with-enough-length";

/**
 * The cache of verified signatures must hold as many tokens as one instance serves at once: with
 * 10,000 sockets open (the fan-out's target) a cache emptied at 10,000 verified every signature again
 * on every credential check.
 */
describe("the cache of verified login tokens", () => {
  it("still knows the first of 12,000 tokens after the other 11,999 were verified", async () => {
    const tokens = await TokenService.create(null as never, SECRET, 3600);
    const expiresAt = new Date(Date.now() + 3_600_000);
    const issued: string[] = [];
    for (let i = 0; i < 12_000; i++) issued.push((await tokens.issue(`per_${i}`, `ses_${i}`, expiresAt)).token);
    const first = await tokens.verify(issued[0]);
    for (const token of issued.slice(1)) await tokens.verify(token);
    // The same claims object: answered from the cache, not verified again.
    const again = await tokens.verify(issued[0]);
    expect(again).toBe(first);
    expect(again).toMatchObject({ personId: "per_0", sessionId: "ses_0" });
    // A token altered by one character is verified, and refused, not confused with a cached one.
    const forged = `${issued[1].slice(0, -2)}${issued[1].at(-2) === "A" ? "B" : "A"}${issued[1].at(-1)}`;
    await expect(tokens.verify(forged)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});
