import { SignJWT } from "jose";

/** The fixed secret every benchmark server is started with (NODE_ENV=production requires one). */
export const BENCH_JWT_SECRET = "zorgzaam-benchmark-secret-0123456789abcdef";

/** A bearer token as the server issues it (see src/modules/people/auth.tokens.ts): HS256, issuer, sub, iat, exp. */
export async function signToken(personId: string, secret = BENCH_JWT_SECRET, ttlSeconds = 8 * 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(personId)
    .setIssuer("zorgzaam")
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}
