import { randomBytes } from "node:crypto";
import { DomainError, notFound } from "../../shared/errors.js";
import { type AuthenticatedViewer, type Viewer, requireViewer } from "../../shared/viewer.js";
import { AccountReason } from "./account.errors.js";
import type { TokenClaims, TokenService } from "./auth.tokens.js";
import type { SessionRepository, SessionRow } from "./session.repository.js";

/** How a session is listed to its owner. */
export interface SessionView extends SessionRow {
  current: boolean;
}

/** Where a login came from, kept with its session so its owner recognises it. */
export interface LoginOrigin {
  userAgent?: string;
  address?: string;
}

/** The most sessions `mySessions` lists. */
export const SESSIONS_LISTED = 50;

const ended = (message: string) => new DomainError("UNAUTHENTICATED", AccountReason.SESSION_ENDED, message);

/**
 * Sessions: every login opens one, named in its token (`sid`). Each request asks the database whether
 * the token's session is still open (one lookup by primary key, joined with the account's flags), so a
 * session ended on any instance is refused at once on every other: no instance keeps a verdict. Times
 * are real time, as the tokens' own expiry is.
 */
export class SessionService {
  private readonly ended: ((personId: string) => void)[] = [];

  constructor(
    private readonly repo: SessionRepository,
    private readonly tokens: TokenService,
    /** Last-seen is written at most this often per session (coarse, so reading a token costs no write). */
    private readonly lastSeenMs = 5 * 60_000,
  ) {}

  /** Told when sessions of a person end on this instance, so their open sockets are looked at at once. */
  onEnded(listener: (personId: string) => void): void {
    this.ended.push(listener);
  }

  /** Opens a session and signs its token. */
  async start(personId: string, origin: LoginOrigin = {}): Promise<{ token: string; expiresAt: Date; sessionId: string }> {
    const id = `ses_${randomBytes(18).toString("base64url")}`;
    const now = new Date();
    const expiresAt = new Date(Math.floor((now.getTime() + this.tokens.ttlMs) / 1000) * 1000);
    await this.repo.insert({
      id,
      personId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      endedAt: null,
      userAgent: origin.userAgent?.slice(0, 300) ?? null,
      address: origin.address?.slice(0, 100) ?? null,
    });
    return { ...(await this.tokens.issue(personId, id, expiresAt)), sessionId: id };
  }

  /**
   * Refuses a token whose account is gone or disabled or whose session has ended (SESSION_ENDED,
   * ACCOUNT_DISABLED). A token from before sessions (no `sid`) holds until its account logs out everywhere.
   */
  async check(claims: TokenClaims): Promise<void> {
    const state = await this.repo.state(claims.personId, claims.sessionId);
    if (!state) throw new DomainError("UNAUTHENTICATED", AccountReason.SESSION_ENDED, "The account of this token no longer exists.");
    if (state.disabledAt) throw new DomainError("UNAUTHENTICATED", AccountReason.ACCOUNT_DISABLED, "This account has been disabled by a coordinator.");
    if (claims.sessionId) {
      const s = state.session;
      if (!s || s.personId !== claims.personId || s.endedAt) throw ended("This session has ended: log in again.");
      const now = Date.now();
      if (now - s.lastSeenAt.getTime() >= this.lastSeenMs) {
        // Coarse and conditional: one write per session per interval, whichever instance sees it first.
        void this.repo.touch(claims.sessionId, new Date(now), new Date(now - this.lastSeenMs)).catch(() => undefined);
      }
    } else if (state.tokensValidAfter && claims.issuedAt <= state.tokensValidAfter.getTime()) {
      throw ended("This token was issued before you logged out everywhere: log in again.");
    }
  }

  /** The viewer's open sessions, the one asking marked as current. */
  async mine(viewer: Viewer): Promise<SessionView[]> {
    const v = requireViewer(viewer, true);
    const rows = await this.repo.active(v.personId, new Date(), SESSIONS_LISTED);
    return rows.map((r) => ({ ...r, current: r.id === v.sessionId }));
  }

  /** Ends the session the viewer asks with (logout). */
  async logout(viewer: Viewer): Promise<boolean> {
    const v = requireViewer(viewer, true);
    if (!v.sessionId) {
      // A token from before sessions can only be ended with all the others.
      await this.endAll(v.personId);
      return true;
    }
    const done = await this.repo.end(v.personId, v.sessionId, new Date());
    this.tell(v.personId);
    return done;
  }

  /** Ends one of the viewer's own sessions (another device); SESSION_NOT_FOUND for anyone else's. */
  async endOne(viewer: Viewer, sessionId: string): Promise<boolean> {
    const v = requireViewer(viewer, true);
    if (!(await this.repo.end(v.personId, sessionId, new Date()))) throw notFound(AccountReason.SESSION_NOT_FOUND, "You have no open session with this id.");
    this.tell(v.personId);
    return true;
  }

  /** Ends every session of the viewer (logoutEverywhere). */
  async logoutEverywhere(viewer: Viewer): Promise<number> {
    const v: AuthenticatedViewer = requireViewer(viewer, true);
    return this.endAll(v.personId);
  }

  /** Ends every session of a person, but `keep` when given. */
  async endAll(personId: string, keep?: string): Promise<number> {
    const n = await this.repo.endAll(personId, new Date(), keep);
    this.tell(personId);
    return n;
  }

  private tell(personId: string) {
    for (const listener of this.ended) listener(personId);
  }
}
