import { Extensions, Field, InputType } from "type-graphql";
import { NewRequestMode, NotificationChannel, NotificationKind, NotificationLanguage } from "./notification.type.js";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS } from "./notification.kinds.js";

@InputType("QuietHoursInput", { description: "Quiet hours in Europe/Amsterdam wall-clock time; start and end differ." })
export class QuietHoursInput {
  @Field(() => String, { description: "Start, HH:MM (e.g. 22:00)." })
  start!: string;
  @Field(() => String, { description: "End, HH:MM (e.g. 07:00)." })
  end!: string;
}

@InputType("NotificationSwitchInput", { description: "Switch one kind on one channel on or off." })
export class NotificationSwitchInput {
  @Field(() => NotificationKind, { description: "The kind." })
  kind!: NotificationKind;
  @Field(() => NotificationChannel, { description: "The channel." })
  channel!: NotificationChannel;
  @Field(() => Boolean, { description: "On or off." })
  enabled!: boolean;
}

@InputType("UpdateNotificationPreferencesInput", { description: "What to change; fields left out stay as they are." })
export class UpdateNotificationPreferencesInput {
  @Field(() => NotificationLanguage, { nullable: true, description: "The language of your notifications." })
  language?: NotificationLanguage | null;
  @Field(() => QuietHoursInput, { nullable: true, description: "New quiet hours; null removes them." })
  quietHours?: QuietHoursInput | null;
  // One per kind and channel: the bound grows with them.
  @Extensions({ maxItems: NOTIFICATION_KINDS.length * NOTIFICATION_CHANNELS.length })
  @Field(() => [NotificationSwitchInput], { nullable: true, description: "Switches to set; kinds not named keep theirs." })
  switches?: NotificationSwitchInput[] | null;
  @Field(() => NewRequestMode, { nullable: true, description: "How new fitting requests reach you: IMMEDIATE or one daily DIGEST." })
  newRequestMode?: NewRequestMode | null;
  @Field(() => String, { nullable: true, description: "Your daily digest's time, HH:MM Europe/Amsterdam wall clock (e.g. 08:00); null: the platform's default." })
  digestTime?: string | null;
}

@InputType("PushSubscriptionKeysInput", { description: "The keys of a browser's push subscription (`PushSubscription.toJSON().keys`)." })
export class PushSubscriptionKeysInput {
  @Field(() => String, { description: "The browser's P-256 public key, base64url (65 bytes)." })
  p256dh!: string;
  @Field(() => String, { description: "The browser's authentication secret, base64url (16 bytes)." })
  auth!: string;
}

@InputType("SubscribePushInput", { description: "A browser's push subscription, as `pushManager.subscribe()` gives it (`toJSON()`)." })
export class SubscribePushInput {
  @Field(() => String, { description: "The push service's https: URL for the browser." })
  endpoint!: string;
  @Field(() => PushSubscriptionKeysInput, { description: "The browser's keys." })
  keys!: PushSubscriptionKeysInput;
}
