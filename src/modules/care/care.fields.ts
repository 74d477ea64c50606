import type { Context } from "../../graphql/context.js";
import type { Person } from "../people/person.types.js";

/** A person as the care types show them (first name only), through the request's loader. */
export async function personById(ctx: Context, id: string | null): Promise<Person | null> {
  if (!id) return null;
  const p = await ctx.loaders.personById.load(id);
  return p ? { id: p.id, firstName: p.firstName } : null;
}
