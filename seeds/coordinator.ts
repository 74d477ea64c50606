import type { Logger } from "pino";
import type { Services } from "../src/app.services.js";

/** The first coordinator's account, from the environment (ZORGZAAM_COORDINATOR_*). */
export interface CoordinatorSettings {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  neighbourhoodId: string;
}

/**
 * Makes sure the configured person is a coordinator: creates the account when the address has none,
 * and grants the role. Idempotent, so it can run at every start; an existing password is kept.
 */
export async function ensureCoordinator(s: Services, settings: CoordinatorSettings, log: Logger): Promise<void> {
  const { id, created } = await s.people.bootstrapCoordinator(settings);
  log.info({ personId: id, created }, created ? "created the first coordinator from the settings" : "the configured coordinator has the role");
}
