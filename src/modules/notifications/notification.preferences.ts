import { DEFAULT_LANGUAGE, type Language, defaultOn, type NotificationChannel, type NotificationKind } from "./notification.kinds.js";
import type { RecipientRow, SwitchRow } from "./notification.repository.js";
import type { QuietHours } from "./notification.time.js";

/** A person's switches, by kind and channel, over the kinds' defaults. */
export class Switches {
  private readonly chosen = new Map<string, boolean>();

  constructor(rows: readonly SwitchRow[]) {
    for (const r of rows) this.chosen.set(`${r.kind}:${r.channel}`, r.enabled);
  }

  isOn(kind: NotificationKind, channel: NotificationChannel): boolean {
    return this.chosen.get(`${kind}:${channel}`) ?? defaultOn(kind, channel);
  }

  /** Whether the person chose (a row), rather than the default holding. */
  isChosen(kind: NotificationKind, channel: NotificationChannel): boolean {
    return this.chosen.has(`${kind}:${channel}`);
  }
}

/** Each person's switches from the rows of many. */
export function switchesByPerson(rows: readonly SwitchRow[]): (personId: string) => Switches {
  const byPerson = new Map<string, SwitchRow[]>();
  for (const r of rows) byPerson.set(r.personId, [...(byPerson.get(r.personId) ?? []), r]);
  const empty = new Switches([]);
  return (personId) => {
    const own = byPerson.get(personId);
    return own ? new Switches(own) : empty;
  };
}

export function languageOf(r: Pick<RecipientRow, "language">): Language {
  return r.language ?? DEFAULT_LANGUAGE;
}

export function quietHoursOf(r: Pick<RecipientRow, "quietStart" | "quietEnd">): QuietHours | null {
  return r.quietStart && r.quietEnd ? { start: r.quietStart, end: r.quietEnd } : null;
}
