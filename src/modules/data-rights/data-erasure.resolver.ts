import { Arg, Ctx, Extensions, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import type { DataErasureRow } from "./data-erasure.repository.js";
import type { DataErasureService } from "./data-erasure.service.js";
import { DataErasure, type DataErasureStatus } from "./data-erasure.type.js";

@Resolver(() => DataErasure)
export class DataErasureResolver {
  constructor(private readonly erasures: DataErasureService) {}

  @Mutation(() => DataErasure, {
    description:
      "Asks for your data to be erased (GDPR art. 17); what must be kept by law is restricted instead (art. 18). Refused with reason ERASURE_BLOCKED and `extensions.blockers` while something is open (a match, a request, a case, a circle you alone coordinate). One runs at a time: while one runs, this answers that one. Afterwards you can no longer log in.",
  })
  async requestErasure(@Ctx() ctx: Context): Promise<DataErasure> {
    return view(await this.erasures.request(ctx.viewer));
  }

  @Mutation(() => DataErasure, {
    description: "Coordinator: erases someone else's data on their request (e.g. a person without an account at a desk). Recorded in the person's access log with the basis.",
  })
  async requestErasureFor(
    @Ctx() ctx: Context,
    @Arg("personId", () => ID, { description: "Whose data to erase." }) personId: string,
    @Arg("basis", () => String, { description: "Why: who asked, where and when (3-500 characters); written to the access log." }) basis: string,
  ): Promise<DataErasure> {
    return view(await this.erasures.requestFor(ctx.viewer, personId, basis));
  }

  @Query(() => DataErasure, { description: "One of your erasures, or one you asked for on someone's behalf while a coordinator (NOT_FOUND otherwise)." })
  async dataErasure(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "Id of the erasure." }) id: string): Promise<DataErasure> {
    return view(await this.erasures.find(ctx.viewer, id));
  }

  @Extensions({ maxItems: 20 })
  @Query(() => [DataErasure], { description: "Coordinator: the erasures you asked for on others' behalf, newest first (the last 20)." })
  async myRequestedErasures(@Ctx() ctx: Context): Promise<DataErasure[]> {
    return (await this.erasures.mine(ctx.viewer)).map(view);
  }
}

function view(r: DataErasureRow): DataErasure {
  return {
    id: r.id,
    status: r.status as DataErasureStatus,
    subjectId: r.subjectId,
    onBehalf: r.subjectId !== r.requestedById,
    basis: r.basis,
    requestedAt: r.createdAt,
    finishedAt: r.finishedAt,
    sections: Object.entries(r.record ?? {}).map(([section, s]) => ({ section, erased: s.erased, restricted: s.restricted })),
  };
}
