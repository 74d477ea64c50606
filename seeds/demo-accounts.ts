import type { Role, Viewer } from "../src/shared/viewer.js";

/** The shared password of every invented demo account (printed at start; change it in production). */
export const DEMO_PASSWORD = "zorgzaam-demo";

/** A demo account as printed at start, so people know whom to log in as. */
export interface DemoAccount {
  email: string;
  role: string;
  name: string;
}

/** The viewer of a demo person, as the services see a logged-in person with these roles. */
export const viewerOf = (personId: string, roles: Role[]): Viewer => ({ personId, roles: new Set(roles), tokenExpiresAt: null });
