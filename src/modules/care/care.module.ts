import type { GraphQLModule } from "../../graphql/module.js";
import type { PlaceService } from "../places/place.service.js";
import { CareCircleChangeResolver } from "./care-circle-change.resolver.js";
import { CareCircleMemberResolver } from "./care-circle-member.resolver.js";
import { CareCircleResolver } from "./care-circle.resolver.js";
import { CareShiftResolver } from "./care-shift.resolver.js";
import { CareSwapResolver } from "./care-swap.resolver.js";
import { CareTaskResolver } from "./care-task.resolver.js";
import { MemberLoadResolver } from "./member-load.resolver.js";
import { CareCircleMessagesResolver, CareMessageResolver, CareShiftMessagesResolver } from "./care-message.resolver.js";
import { CareRunningResolver } from "./care-running.resolver.js";
import type { CareService } from "./care.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly care: CareService;
  }
}

/** Care circles (zorgnetwerken): members, tasks, shifts, swaps and load. */
export const careModule: GraphQLModule<{ care: CareService; places: PlaceService }> = {
  resolvers: [
    CareCircleResolver,
    CareCircleMemberResolver,
    MemberLoadResolver,
    CareTaskResolver,
    CareShiftResolver,
    CareSwapResolver,
    CareCircleChangeResolver,
    CareRunningResolver,
    CareMessageResolver,
    CareCircleMessagesResolver,
    CareShiftMessagesResolver,
  ],
  instances: (s) => [
    new CareCircleResolver(s.care, s.places),
    new CareCircleMemberResolver(),
    new MemberLoadResolver(),
    new CareTaskResolver(s.places),
    new CareShiftResolver(s.care),
    new CareSwapResolver(s.care),
    new CareCircleChangeResolver(s.care),
    new CareRunningResolver(s.care),
    new CareMessageResolver(s.care),
    new CareCircleMessagesResolver(s.care),
    new CareShiftMessagesResolver(s.care),
  ],
  nodes: (s) => ({
    CareCircle: (ctx, id) => s.care.findVisibleCircle(ctx.viewer, id),
    CareShift: (ctx, id) => s.care.findVisibleShift(ctx.viewer, id),
    CareTask: (ctx, id) => s.care.findVisibleTask(ctx.viewer, id),
    CareSwap: (ctx, id) => s.care.findVisibleSwap(ctx.viewer, id),
  }),
};
