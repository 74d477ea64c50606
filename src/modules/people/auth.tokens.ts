import { hkdfSync, randomBytes } from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { unauthenticated } from "../../shared/errors.js";
import { LRUCache } from "lru-cache";

const ISSUER = "zorgzaam";

/**
 * What a valid signature proves: who, until when, and in which session. Whether the session is still
 * open and the roles are looked up fresh on every request (SessionService, PersonService).
 */
export interface TokenClaims {
  personId: string;
  expiresAt: number;
  /** The session (`sid`, also the token's `jti`); absent in tokens issued before sessions existed. */
  sessionId?: string;
  /** When the token was issued (ms, whole seconds). */
  issuedAt: number;
}

/**
 * Signs and checks bearer tokens (HS256 JWT). The secret comes from JWT_SECRET or, when unset
 * outside production, from one random secret kept in the database so every instance shares it.
 * Verified signatures are cached (bounded) because the same token arrives on every request of a session;
 * the cache says only that the signature is good: whether its session is still open is asked every time.
 */
export class TokenService {
  /**
   * Least recently used dropped first. It was a map emptied whenever it reached 10,000 tokens: with
   * 10,000 sockets open on one instance (the fan-out's target) it was emptied over and over, and every
   * credential check verified its signature again.
   */
  private readonly cache = new LRUCache<string, TokenClaims>({ max: 50_000 });

  private constructor(
    private readonly key: Uint8Array,
    private readonly ttlSeconds: number,
  ) {}

  static async create(db: Database, secret: string | undefined, ttlSeconds: number): Promise<TokenService> {
    const value = secret ?? (await sharedSecret(db));
    return new TokenService(new TextEncoder().encode(value), ttlSeconds);
  }

  /** A 32-byte key for another purpose, derived from the token secret (HKDF-SHA256), so one secret protects both. */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync("sha256", this.key, "zorgzaam", purpose, 32));
  }

  /** How long a login token lives (TOKEN_TTL_SECONDS). */
  get ttlMs(): number {
    return this.ttlSeconds * 1000;
  }

  /** A login token for a session: `sid` (and `jti`) name the session row that must stay open for it to work. */
  async issue(personId: string, sessionId: string, expiresAt: Date): Promise<{ token: string; expiresAt: Date }> {
    const token = await new SignJWT({ sid: sessionId })
      .setJti(sessionId)
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(personId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /** The claims a token proves; UNAUTHENTICATED when it is invalid or expired. */
  async verify(token: string): Promise<TokenClaims> {
    const cached = this.cache.get(token);
    if (cached) {
      if (cached.expiresAt > Date.now()) return cached;
      this.cache.delete(token);
      throw unauthenticated("Your token has expired: log in again.");
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ["HS256"] });
      // Capability tokens carry an audience and no expiry; only login tokens may log in.
      if (typeof payload.sub !== "string" || typeof payload.exp !== "number" || payload.aud !== undefined) throw unauthenticated();
      const claims: TokenClaims = {
        personId: payload.sub,
        expiresAt: payload.exp * 1000,
        sessionId: typeof payload.sid === "string" ? payload.sid : undefined,
        issuedAt: (payload.iat ?? 0) * 1000,
      };
      this.cache.set(token, claims);
      return claims;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthenticated("Your token has expired: log in again.");
      throw unauthenticated("The bearer token is not valid.");
    }
  }

  /**
   * A signed, non-expiring token for a capability other than logging in (e.g. a calendar feed URL).
   * The audience keeps it from being usable as a login token; revocation is the caller's (a version).
   */
  async signCapability(audience: string, claims: Record<string, string | number>): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setIssuer(ISSUER).setAudience(audience).sign(this.key);
  }

  /** The claims of a capability token, or null when it is not a valid one for this audience. */
  async verifyCapability(audience: string, token: string): Promise<Record<string, unknown> | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience, algorithms: ["HS256"] });
      return payload as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  /** Reads `Bearer <token>` (any case) from an Authorization value. */
  static parseAuthorization(value: string | undefined | null): string | null {
    if (!value) return null;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(value);
    if (!m) throw unauthenticated("The Authorization header must read `Bearer <token>`.");
    return m[1];
  }
}

async function sharedSecret(db: Database): Promise<string> {
  const t = db.tables;
  const candidate = randomBytes(48).toString("base64url");
  await db.transaction(async (tx) => {
    await tx.insert(t.appSettings).values({ key: "jwt_secret", value: candidate }).onConflictDoNothing();
  });
  const rows = await db.read.select().from(t.appSettings).where(eq(t.appSettings.key, "jwt_secret"));
  return rows[0].value;
}
