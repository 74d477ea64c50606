import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { CATALOGUES, Messages, keysOf } from "../../src/modules/notifications/notification.i18n.js";
import { KINDS, NOTIFICATION_KINDS, type Language } from "../../src/modules/notifications/notification.kinds.js";
import { NotificationRenderer, notificationLinks } from "../../src/modules/notifications/notification.render.js";
import { releaseTime, startOfDay } from "../../src/modules/notifications/notification.time.js";

const languages = Object.keys(CATALOGUES) as Language[];

describe("notification message catalogues", () => {
  it("have every key in every language (a key in one language only fails)", () => {
    const all = new Set(languages.flatMap((lng) => keysOf(CATALOGUES[lng])));
    for (const lng of languages) {
      const own = new Set(keysOf(CATALOGUES[lng]));
      expect(
        [...all].filter((k) => !own.has(k)),
        `keys missing in ${lng}`,
      ).toEqual([]);
    }
    expect(languages.sort()).toEqual(["en", "nl"]);
  });

  it("notices a key that exists in one language only", () => {
    const nl = { a: { b: "x", c: "y" } };
    const en = { a: { b: "x" } };
    const missing = keysOf(nl).filter((k) => !keysOf(en).includes(k));
    expect(missing).toEqual(["a.c"]);
  });

  it("hold valid ICU MessageFormat with the same arguments in each language", () => {
    for (const key of keysOf(CATALOGUES.nl)) {
      const args = languages.map((lng) => {
        const text = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], CATALOGUES[lng]) as string;
        const ast = new IntlMessageFormat(text, lng).getAst();
        return JSON.stringify(
          ast
            .filter((el) => "value" in el && el.type !== 0)
            .map((el) => (el as { value: string }).value)
            .sort(),
        );
      });
      expect(new Set(args).size, `arguments of ${key} differ between languages`).toBe(1);
    }
  });

  it("say every kind in both languages with plurals, and leave no placeholder unfilled", () => {
    const renderer = new NotificationRenderer(
      new Messages(),
      { categoryName: (_id, lng) => (lng === "nl" ? "Boodschappen" : "Groceries"), neighbourhoodName: () => "Wielwijk" },
      notificationLinks("https://app.example/"),
      1,
    );
    for (const lng of languages) {
      for (const kind of NOTIFICATION_KINDS) {
        const m = renderer.render(
          {
            kind,
            subjectId: "hr_1",
            params: { categoryId: "cat", neighbourhoodId: "nb", urgency: "URGENT", windowStart: Date.UTC(2026, 2, 29, 8), forName: "Kees", initiativeKind: "COURSE" },
          },
          { firstName: "Ada", language: lng },
          "https://zorgzaam.example/notifications/unsubscribe?token=t",
        );
        for (const part of [m.subject, m.text, m.html]) expect(part, `${lng} ${kind}`).not.toMatch(/[{}]/);
        const page = {
          "help-request": "help-requests",
          initiative: "initiatives",
          "care-circle": "care-circles",
          "care-invitation": "care-invitations",
          "care-thread": "care-threads",
          "buddy-programme": "buddy-programmes",
          "offer-ask": "offer-asks",
          "team-case": "escalations",
          vog: "volunteers",
          "vog-reviews": "coordination",
          "partner-app": "partner-apps",
          "open-requests": "help-requests",
        }[KINDS[kind].subject];
        // The open requests are one page (help-requests/open), whatever the subject.
        expect(m.text).toContain(`https://app.example/${page}/${KINDS[kind].subject === "open-requests" ? "open" : "hr_1"}`);
        if (KINDS[kind].audience === "requester" || KINDS[kind].audience === "participant") expect(m.text).toContain("Kees");
        if (KINDS[kind].subject === "initiative") expect(m.text).toContain(lng === "nl" ? "een cursus" : "a course");
      }
      expect(renderer.render({ kind: "HELP_REQUEST_NEW", subjectId: "x", params: {} }, { firstName: "<b>", language: lng }, "u").html).toContain("&lt;b&gt;");
    }
    const five = new NotificationRenderer(new Messages(), { categoryName: () => "c", neighbourhoodName: () => "n" }, notificationLinks("https://a"), 5);
    expect(five.render({ kind: "HELP_REQUEST_NEW", subjectId: "x", params: {} }, { firstName: "A", language: "en" }, "u").text).toContain("at most 5 e-mails a day");
    expect(
      new NotificationRenderer(new Messages(), { categoryName: () => "c", neighbourhoodName: () => "n" }, notificationLinks("https://a"), 1).render(
        { kind: "HELP_REQUEST_NEW", subjectId: "x", params: {} },
        { firstName: "A", language: "nl" },
        "u",
      ).text,
    ).toContain("hooguit 1 e-mail per dag");
  });
});

describe("quiet hours in Europe/Amsterdam, whatever zone the process runs in", () => {
  const at = (iso: string) => new Date(iso);
  const quiet = { start: "22:00", end: "07:00" };

  it("holds a message until the morning and lets one outside them, or an urgent one, go at once", () => {
    // Winter (UTC+1): 23:30 in Amsterdam is 22:30 UTC; held until 07:00 Amsterdam = 06:00 UTC.
    expect(releaseTime(at("2026-01-14T22:30:00Z"), quiet, false).toISOString()).toBe("2026-01-15T06:00:00.000Z");
    // After midnight, the same morning.
    expect(releaseTime(at("2026-01-15T02:00:00Z"), quiet, false).toISOString()).toBe("2026-01-15T06:00:00.000Z");
    expect(releaseTime(at("2026-01-15T12:00:00Z"), quiet, false).toISOString()).toBe("2026-01-15T12:00:00.000Z");
    expect(releaseTime(at("2026-01-14T22:30:00Z"), quiet, true).toISOString()).toBe("2026-01-14T22:30:00.000Z");
    expect(releaseTime(at("2026-01-14T22:30:00Z"), null, false).toISOString()).toBe("2026-01-14T22:30:00.000Z");
    // Summer (UTC+2): 21:30 UTC is 23:30 in Amsterdam; 07:00 is 05:00 UTC.
    expect(releaseTime(at("2026-07-14T21:30:00Z"), quiet, false).toISOString()).toBe("2026-07-15T05:00:00.000Z");
    // 20:30 UTC in summer is 22:30 in Amsterdam: quiet, though 20:30 is not in UTC or São Paulo.
    expect(releaseTime(at("2026-07-14T20:30:00Z"), quiet, false).toISOString()).toBe("2026-07-15T05:00:00.000Z");
  });

  it("crosses the change to summer time: the night of 29 March 2026 is an hour shorter", () => {
    // 23:30 on 28 March (UTC+1) is 22:30 UTC; 07:00 on 29 March is already summer time (UTC+2): 05:00 UTC.
    expect(releaseTime(at("2026-03-28T22:30:00Z"), quiet, false).toISOString()).toBe("2026-03-29T05:00:00.000Z");
    // Quiet hours within a day: 13:00-15:00.
    expect(releaseTime(at("2026-03-29T11:30:00Z"), { start: "13:00", end: "15:00" }, false).toISOString()).toBe("2026-03-29T13:00:00.000Z");
  });

  it("starts the day for the daily limit at midnight in Amsterdam", () => {
    expect(startOfDay(at("2026-07-14T23:30:00Z")).toISOString()).toBe("2026-07-14T22:00:00.000Z");
    expect(startOfDay(at("2026-01-14T23:30:00Z")).toISOString()).toBe("2026-01-14T23:00:00.000Z");
  });
});
