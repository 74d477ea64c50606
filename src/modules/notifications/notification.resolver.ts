import { Arg, Authorized, Ctx, Extensions, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { FieldCost } from "../../graphql/cost.js";
import type { Context } from "../../graphql/context.js";
import { type ConnectionShape, toConnection } from "../../graphql/relay.js";
import { Person } from "../people/person.types.js";
import { UpdateNotificationPreferencesInput } from "./notification.input.js";
import type { DeliveryRow } from "./notification.repository.js";
import type { NotificationService, PreferencesView } from "./notification.service.js";
import { NewRequestMode, Notification, NotificationChannel, NotificationConnection, NotificationKind, NotificationLanguage, NotificationPreferences } from "./notification.type.js";

const toPreferences = (p: PreferencesView): NotificationPreferences => ({
  ...p,
  language: p.language === "en" ? NotificationLanguage.EN : NotificationLanguage.NL,
  switches: p.switches.map((s) => ({ ...s, kind: NotificationKind[s.kind], channel: NotificationChannel[s.channel] })),
  newRequestMode: NewRequestMode[p.newRequestMode],
});

@Resolver(() => Notification)
export class NotificationResolver {
  constructor(private readonly notifications: NotificationService) {}

  @Query(() => NotificationPreferences, { description: "Your notification preferences, with the defaults filled in." })
  async myNotificationPreferences(@Ctx() ctx: Context): Promise<NotificationPreferences> {
    return toPreferences(await this.notifications.preferences(ctx.viewer));
  }

  @Mutation(() => NotificationPreferences, {
    description: "Changes your notification preferences (language, quiet hours, kinds per channel); what you leave out stays. Applies to what is sent from now on.",
  })
  async updateNotificationPreferences(
    @Ctx() ctx: Context,
    @Arg("input", () => UpdateNotificationPreferencesInput, { description: "What to change." }) input: UpdateNotificationPreferencesInput,
  ): Promise<NotificationPreferences> {
    return toPreferences(await this.notifications.updatePreferences(ctx.viewer, input));
  }

  @Query(() => NotificationConnection, { description: "The notifications sent (or to be sent) to you, newest first: who was told what is yours to read." })
  async myNotifications(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: "Page size, 1-100 (default 20)." }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: "Cursor of the last edge of the previous page." }) after?: string | null,
  ): Promise<ConnectionShape<Notification>> {
    return toConnection(await this.notifications.mine(ctx.viewer, first, after), (r) => r);
  }

  @Query(() => NotificationConnection, { description: "Coordinators: notifications given up on (DEAD), newest first; `retryNotification` sends one again." })
  async deadNotifications(
    @Ctx() ctx: Context,
    @Arg("first", () => Int, { nullable: true, description: "Page size, 1-100 (default 20)." }) first?: number | null,
    @Arg("after", () => String, { nullable: true, description: "Cursor of the last edge of the previous page." }) after?: string | null,
  ): Promise<ConnectionShape<Notification>> {
    return toConnection(await this.notifications.dead(ctx.viewer, first, after), (r) => r);
  }

  @Mutation(() => Notification, { description: "Coordinators: tries a DEAD notification again now, with a fresh count of attempts (CONFLICT unless it is DEAD)." })
  async retryNotification(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "The notification." }) id: string): Promise<Notification> {
    return this.notifications.retry(ctx.viewer, id);
  }

  @FieldResolver(() => ID, { description: "Id of what it is about (a help request or an initiative); read it with `node(id)` after signing in." })
  aboutId(@Root() n: DeliveryRow): string {
    return n.subjectId;
  }

  @FieldResolver(() => String, { description: "Where the person reads the rest after signing in." })
  link(@Root() n: DeliveryRow): string {
    return this.notifications.linkOf(n);
  }

  @Extensions({ cost: FieldCost.READ / 5 })
  @FieldResolver(() => Person, { nullable: true, description: "To whom." })
  async recipient(@Ctx() ctx: Context, @Root() n: DeliveryRow): Promise<Person | null> {
    const p = await ctx.loaders.personById.load(n.recipientId);
    return p ? { id: p.id, firstName: p.firstName } : null;
  }

  @Authorized("COORDINATOR")
  @FieldResolver(() => String, { nullable: true, description: "Coordinators: why the last attempt failed, or why it was skipped." })
  lastError(@Root() n: DeliveryRow): string | null {
    return n.lastError;
  }
}
