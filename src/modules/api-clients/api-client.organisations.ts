import type { Clock } from "../../shared/clock.js";
import { conflict, notFound } from "../../shared/errors.js";
import { newId } from "../../shared/ids.js";
import type { Viewer } from "../../shared/viewer.js";
import { ApiClientReason as R } from "./api-client.errors.js";
import { requirePartnerAppCoordinator } from "./api-client.policy.js";
import type { ApiClientOrganisationRow, ApiClientRepository } from "./api-client.repository.js";

/**
 * A seat among an organisation's organisers, for an app's account (wired to the initiatives module):
 * `join` refuses an organisation that is unknown or not verified; `leave` ends the account's seat.
 */
export interface OrganisationSeats {
  join(organisationId: string, personId: string, byId: string): Promise<void>;
  leave(personId: string): Promise<void>;
}

/**
 * The one organisation a partner app may act for with `organisation:write`. A coordinator binds it
 * (the organisation asked for the app, as it would ask for an account); the app's keys then act as an
 * account of its own that is one of the organisation's organisers, so the organisation's rules apply
 * unchanged and its organisers see, and can remove, the app among their members. Unbinding ends the
 * seat at once; open sockets of the app are checked again.
 */
export class ApiClientOrganisations {
  seats: OrganisationSeats = {
    join: async () => {
      throw new Error("organisation seats are not wired");
    },
    leave: async () => undefined,
  };

  constructor(
    private readonly repo: ApiClientRepository,
    private readonly clock: Clock,
    private readonly changed: (clientId: string) => void,
  ) {}

  async of(viewer: Viewer, clientId: string): Promise<ApiClientOrganisationRow | null> {
    requirePartnerAppCoordinator(viewer);
    return (await this.repo.findOrganisationBinding(clientId)) ?? null;
  }

  async bind(viewer: Viewer, clientId: string, organisationId: string): Promise<ApiClientOrganisationRow> {
    const v = requirePartnerAppCoordinator(viewer);
    const client = await this.repo.findClient(clientId);
    if (!client) throw notFound(R.API_CLIENT_NOT_FOUND, "No API client has this id.");
    const existing = await this.repo.findOrganisationBinding(clientId);
    if (existing?.organisationId === organisationId) return existing;
    if (existing) throw conflict(R.API_CLIENT_ALREADY_BOUND, "An app acts for one organisation at most: unbind it from the other first.");
    const now = this.clock.now();
    const personId = newId("Person");
    await this.repo.insertServiceAccount(personId, `${client.name.slice(0, 70)} (app)`, v.personId, now);
    await this.seats.join(organisationId, personId, v.personId);
    const stored = await this.repo.insertOrganisationBinding({ clientId, organisationId, personId, boundById: v.personId, boundAt: now });
    if (stored.personId !== personId) {
      // Another coordinator bound it at the same moment: their binding stands, this seat goes.
      await this.seats.leave(personId);
      if (stored.organisationId !== organisationId) throw conflict(R.API_CLIENT_ALREADY_BOUND, "An app acts for one organisation at most: unbind it from the other first.");
    }
    this.changed(clientId);
    return stored;
  }

  /** Ends the app's seat in its organisation; false when it was bound to none. */
  async unbind(viewer: Viewer, clientId: string): Promise<boolean> {
    requirePartnerAppCoordinator(viewer);
    if (!(await this.repo.findClient(clientId))) throw notFound(R.API_CLIENT_NOT_FOUND, "No API client has this id.");
    const removed = await this.repo.deleteOrganisationBinding(clientId);
    if (!removed) return false;
    await this.seats.leave(removed.personId);
    this.changed(clientId);
    return true;
  }
}
