import type { Clock } from "../../shared/clock.js";
import { newId } from "../../shared/ids.js";
import type { AuthenticatedViewer } from "../../shared/viewer.js";
import type { ApiClientRepository, ApiClientRow, ApiSandboxRow } from "./api-client.repository.js";

/**
 * Makes a sandbox's organisation as the sandbox's own account, which becomes its organiser (wired to
 * the initiatives module).
 */
export type SandboxOrganisations = (viewer: AuthenticatedViewer, organisation: { name: string; description: string }) => Promise<{ id: string }>;

/**
 * A partner app's sandbox: an account of its own and an organisation that account organises, made
 * once, when the app's first sandbox key is issued; its sandbox keys act as that account.
 */
export class ApiSandboxes {
  /** Sandboxes being made on this instance, so two first sandbox keys of one app share one. */
  private readonly inMaking = new Map<string, Promise<ApiSandboxRow>>();
  organisations: SandboxOrganisations = async () => {
    throw new Error("sandbox organisations are not wired");
  };

  constructor(
    private readonly repo: ApiClientRepository,
    private readonly clock: Clock,
  ) {}

  /** The client's sandbox, made on first need: its account, then its organisation (organised by that account). */
  of(v: AuthenticatedViewer, client: ApiClientRow): Promise<ApiSandboxRow> {
    const making = this.inMaking.get(client.id);
    if (making) return making;
    const make = (async () => {
      const existing = await this.repo.findSandbox(client.id);
      if (existing) return existing;
      const now = this.clock.now();
      const personId = newId("Person");
      const name = `${client.name.slice(0, 100)} (sandbox)`;
      await this.repo.insertServiceAccount(personId, name, v.personId, now);
      const account: AuthenticatedViewer = { personId, roles: new Set(["ORGANISER"]), tokenExpiresAt: null };
      const organisation = await this.organisations(account, {
        name,
        description: `Sandbox of the partner app ${client.name}: test data of its sandbox keys, seen by no volunteer, team or statistic.`,
      });
      return this.repo.insertSandbox({ clientId: client.id, organisationId: organisation.id, personId, createdById: v.personId, createdAt: now });
    })();
    this.inMaking.set(client.id, make);
    return make.finally(() => this.inMaking.delete(client.id));
  }
}
