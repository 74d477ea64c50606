import { filter, map, pipe } from "@graphql-yoga/subscription";
import type { Context } from "../../graphql/context.js";
import { requireViewer } from "../../shared/viewer.js";
import { initiativeTopics } from "./initiative.events.js";
import type { InitiativeRow } from "./initiative.repository.js";
import type { InitiativeKind } from "./initiative.tables.js";
import type { SignupRow } from "./signup.repository.js";

/**
 * Subscription streams. Events carry only ids; each one is reloaded and checked against the
 * subscriber's rights and filter, so the server filters, not the client.
 */
export async function publishedStream(ctx: Context, args: { neighbourhoodIds?: string[] | null; kinds?: InitiativeKind[] | null }) {
  const { initiatives, places } = ctx.services;
  for (const [i, id] of (args.neighbourhoodIds ?? []).entries()) await places.requireNeighbourhood(id, `neighbourhoodIds.${i}`);
  return pipe(
    ctx.services.events.subscribe(initiativeTopics.published),
    map(async (event) => {
      const row = await initiatives.findRow(event.id);
      return row && initiatives.fitsPublishedFilter(row, args) ? row : null;
    }),
    filter((row): row is InitiativeRow => row !== null),
  );
}

export interface SignupChangeRoot {
  kind: string;
  signup: SignupRow;
}

/** Changes to sign-ups the subscriber may see: their own, those they made, and those of initiatives they organise. */
export async function signupStream(ctx: Context, args: { initiativeId?: string | null }) {
  const { initiatives, signups } = ctx.services;
  const viewer = requireViewer(ctx.viewer);
  if (args.initiativeId) await initiatives.get(viewer, args.initiativeId);
  return pipe(
    ctx.services.events.subscribe(initiativeTopics.signupChanged),
    map(async (event): Promise<SignupChangeRoot | null> => {
      const row = await signups.findRow(event.id);
      if (!row || (args.initiativeId && row.initiativeId !== args.initiativeId)) return null;
      return (await signups.canSee(viewer, row)) ? { kind: event.kind, signup: row } : null;
    }),
    filter((change): change is SignupChangeRoot => change !== null),
  );
}
