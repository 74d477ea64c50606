import { Arg, Ctx, Extensions, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../graphql/context.js";
import { SubscribePushInput } from "./notification.input.js";
import type { PushService } from "./notification.push.service.js";
import { PushSubscription } from "./notification.type.js";

/** Web Push: the server's public key, and the signed-in person's browsers that receive push notifications. */
@Resolver(() => PushSubscription)
export class PushResolver {
  constructor(private readonly push: PushService) {}

  @Query(() => String, {
    nullable: true,
    description: "The server's VAPID public key (base64url): pass it to `pushManager.subscribe` as `applicationServerKey`. Null when push notifications are off here.",
  })
  vapidPublicKey(): string | null {
    return this.push.vapidPublicKey();
  }

  @Extensions({ maxItems: 10 })
  @Query(() => [PushSubscription], { description: "Your browsers that receive push notifications, newest first." })
  myPushSubscriptions(@Ctx() ctx: Context): Promise<PushSubscription[]> {
    return this.push.mine(ctx.viewer);
  }

  @Mutation(() => PushSubscription, {
    description:
      "Lets this browser receive your push notifications. A browser subscribed before by someone else becomes yours (it changed hands). You keep at most 10 browsers: an 11th replaces the one longest silent.",
  })
  subscribePush(
    @Ctx() ctx: Context,
    @Arg("input", () => SubscribePushInput, { description: "The browser's subscription (`PushSubscription.toJSON()`)." }) input: SubscribePushInput,
  ): Promise<PushSubscription> {
    return this.push.subscribe(ctx.viewer, input);
  }

  @Mutation(() => Boolean, { description: "Stops push notifications to one of your browsers (do this when signing out of it). True when it was removed." })
  unsubscribePush(@Ctx() ctx: Context, @Arg("endpoint", () => String, { description: "The browser's push endpoint." }) endpoint: string): Promise<boolean> {
    return this.push.unsubscribe(ctx.viewer, endpoint);
  }
}
