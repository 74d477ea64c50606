import type { Context } from "../../graphql/context.js";
import type { Feed, FeedItem } from "../../db/outbox.js";
import { requireViewer } from "../../shared/viewer.js";
import { type InitiativeChangeKind, type SignupChangeKind, initiativeChangeOf, initiativeTopics, signupChangeOf } from "./initiative.events.js";
import { initiativePolicy as policy } from "./initiative.policy.js";
import type { InitiativeRow } from "./initiative-rows.repository.js";
import type { InitiativeKind } from "./initiative.tables.js";
import type { SignupRow } from "./signup.repository.js";

export type InitiativeFeedRow = FeedItem<InitiativeRow>;

/**
 * Subscription feeds over the event log. Events carry only ids; each one is reloaded and checked
 * against the subscriber's rights and filter, so the server filters, not the client. With `since` a
 * feed first replays what the subscriber missed.
 */
export async function publishedStream(
  ctx: Context,
  args: { neighbourhoodIds?: string[] | null; kinds?: InitiativeKind[] | null; changes?: InitiativeChangeKind[] | null; since?: string | null },
): Promise<Feed<InitiativeRow>> {
  const { initiatives, places } = ctx.services;
  for (const [i, id] of (args.neighbourhoodIds ?? []).entries()) await places.requireNeighbourhood(id, `neighbourhoodIds.${i}`);
  const anonymous = ctx.viewer.personId === null;
  return ctx.services.outbox.feed(initiativeTopics.published, args.since, {
    loads: "initiative",
    fetch: (event) => initiatives.findRow(event.id),
    // Anonymous subscribers (the public, partner apps) all see the same; a signed-in person may also
    // see their own sign-up or what they organise, so they are executed alone.
    see: (row, event) => {
      const change = initiativeChangeOf(event);
      if (args.changes?.length && !args.changes.includes(change)) return false;
      return fitsChangeFilter(row, change, args) ? (anonymous ? "shared" : "personal") : false;
    },
  });
}

/**
 * Whether a public change reaches an `initiativePublished` subscriber with this filter. A publication
 * is announced while the initiative is still published; any later change is announced for as long
 * as the initiative is public (a cancellation must reach those who heard of it).
 */
export function fitsChangeFilter(row: InitiativeRow, change: InitiativeChangeKind, filter: { neighbourhoodIds?: string[] | null; kinds?: InitiativeKind[] | null }): boolean {
  if (!policy.isPublic(row) || (change === "PUBLISHED" && row.status !== "PUBLISHED")) return false;
  if (filter.neighbourhoodIds?.length && !filter.neighbourhoodIds.includes(row.neighbourhoodId)) return false;
  if (filter.kinds?.length && !filter.kinds.includes(row.kind)) return false;
  return true;
}

export interface SignupChangeRoot {
  kind: SignupChangeKind;
  cursor: string;
  sequence: number;
  signup: SignupRow;
}

/** Changes to sign-ups the subscriber may see: their own, those they made, and those of initiatives they organise. */
export async function signupStream(ctx: Context, args: { initiativeId?: string | null; since?: string | null }): Promise<Feed<SignupRow, SignupChangeRoot>> {
  const { initiatives, signups } = ctx.services;
  const viewer = requireViewer(ctx.viewer);
  if (args.initiativeId) await initiatives.get(viewer, args.initiativeId);
  return ctx.services.outbox.feed(initiativeTopics.signupChanged, args.since, {
    loads: "signup",
    fetch: (event) => signups.findRow(event.id),
    see: async (row) => {
      if (args.initiativeId && row.initiativeId !== args.initiativeId) return false;
      return (await signups.canSee(viewer, row)) ? "personal" : false;
    },
    root: ({ event, value }) => ({ kind: signupChangeOf(event), cursor: String(event.seq), sequence: event.seq, signup: value }),
  });
}
