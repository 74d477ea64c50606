import type { Services } from "../src/app.services.js";
import { DEMO_PASSWORD, type DemoAccount, viewerOf } from "./demo-accounts.js";
import { seedInitiatives } from "./initiatives.js";

/**
 * Invented demo people, made through the services so they obey the same rules as real use.
 * Every name here is made up.
 */
export async function seedDemo(s: Services): Promise<DemoAccount[]> {
  const hour = 3600_000;
  const now = s.clock.now().getTime();
  const register = async (
    email: string,
    firstName: string,
    lastName: string,
    nb: string,
    roles: ("VOLUNTEER" | "MANTELZORGER")[] = [],
    extra: { phone?: string; address?: string } = {},
  ) => {
    const r = await s.people.register({
      email,
      password: DEMO_PASSWORD,
      firstName,
      lastName,
      neighbourhoodId: `nb_dordrecht-${nb}`,
      roles,
      ...extra,
    });
    return r.person.id;
  };

  // The coordinator is created first and granted the role directly: nobody exists yet to grant it.
  const coordinatorId = await register("coordinator@zorgzaam.example", "Karin", "Meijer", "binnenstad");
  await s.db.transaction(async (tx) => {
    await tx
      .insert(s.db.tables.personRoles)
      .values({ personId: coordinatorId, role: "COORDINATOR", grantedAt: new Date(now) })
      .onConflictDoNothing();
  });
  const coordinator = viewerOf(coordinatorId, ["RESIDENT", "COORDINATOR"]);

  const annaId = await register("anna@zorgzaam.example", "Anna", "de Vries", "oud-krispijn", [], {
    phone: "06 1234 5678",
    address: "Krispijnseweg 12, Dordrecht",
  });
  const mohammedId = await register("mohammed@zorgzaam.example", "Mohammed", "El Amrani", "wielwijk", ["VOLUNTEER"]);
  const sanneId = await register("sanne@zorgzaam.example", "Sanne", "Bakker", "reeland", ["VOLUNTEER"]);
  const henkId = await register("henk@zorgzaam.example", "Henk", "Visser", "sterrenburg", ["MANTELZORGER"]);
  const fatimaId = await register("fatima@zorgzaam.example", "Fatima", "Yilmaz", "nieuw-krispijn");
  const evaId = await register("eva@zorgzaam.example", "Eva", "Jansen", "crabbehof");
  await s.people.grantRole(coordinator, fatimaId, "ORGANISER");
  await s.people.grantRole(coordinator, evaId, "PROFESSIONAL", "team_dordrecht-west-swt");

  const west = ["oud-krispijn", "nieuw-krispijn", "wielwijk", "crabbehof", "zuidhoven"].map((n) => `nb_dordrecht-${n}`);
  const mohammed = viewerOf(mohammedId, ["RESIDENT", "VOLUNTEER"]);
  await s.volunteers.updateMyProfile(mohammed, {
    categoryIds: ["cat_groceries", "cat_transport", "cat_odd-jobs", "cat_company"],
    neighbourhoodIds: west,
    languages: ["nl", "ar", "en"],
    availability: [
      { weekday: 2, from: "09:00", to: "12:00" },
      { weekday: 6, from: "10:00", to: "16:00" },
    ],
  });
  await s.volunteers.declareVog(mohammed, "2026-03-02");
  await s.volunteers.reviewVog(coordinator, mohammedId, true, "2026-03-02");
  await s.volunteers.updateMyProfile(viewerOf(sanneId, ["RESIDENT", "VOLUNTEER"]), {
    categoryIds: ["cat_company", "cat_digital", "cat_paperwork", "cat_groceries"],
    neighbourhoodIds: [...west, "nb_dordrecht-reeland", "nb_dordrecht-binnenstad"],
    languages: ["nl", "en"],
    availability: [{ weekday: 4, from: "18:00", to: "21:00" }],
  });

  const anna = viewerOf(annaId, ["RESIDENT"]);
  await s.helpRequests.ask(anna, {
    categoryId: "cat_groceries",
    title: "Boodschappen op dinsdag",
    description: "Ik loop slecht sinds mijn heupoperatie. Wie kan dinsdag boodschappen doen bij de supermarkt om de hoek?",
    windowStart: new Date(now + 24 * hour),
    windowEnd: new Date(now + 7 * 24 * hour),
    urgency: "NORMAL",
  });
  await s.helpRequests.ask(anna, {
    categoryId: "cat_company",
    title: "Samen een wandeling maken",
    description: "Ik zou het fijn vinden om af en toe samen een rondje door het Wantijpark te lopen.",
    windowStart: new Date(now + 2 * 24 * hour),
    windowEnd: new Date(now + 30 * 24 * hour),
    urgency: "LOW",
  });
  await s.helpRequests.ask(viewerOf(henkId, ["RESIDENT", "MANTELZORGER"]), {
    categoryId: "cat_transport",
    title: "Vervoer naar het ziekenhuis voor mijn moeder",
    description: "Mijn moeder moet donderdag naar de polikliniek van het Albert Schweitzer ziekenhuis; ik moet zelf werken.",
    windowStart: new Date(now + 3 * 24 * hour),
    windowEnd: new Date(now + 3 * 24 * hour + 4 * hour),
    urgency: "HIGH",
    personHelped: {
      firstName: "Riet",
      lastName: "Visser",
      neighbourhoodId: "nb_dordrecht-nieuw-krispijn",
      phone: "078 123 4567",
      address: "Bosboom-Toussaintstraat 5, Dordrecht",
      birthDate: "1941-05-17",
    },
  });
  await s.helpRequests.ask(viewerOf(fatimaId, ["RESIDENT", "ORGANISER"]), {
    categoryId: "cat_paperwork",
    title: "Hulp bij brieven van de gemeente",
    description: "Een bewoner die bij de wijkwinkel kwam heeft hulp nodig bij het invullen van formulieren.",
    windowStart: new Date(now + 24 * hour),
    windowEnd: new Date(now + 14 * 24 * hour),
    personHelped: { firstName: "Joost", neighbourhoodId: "nb_dordrecht-wielwijk" },
  });
  const initiativeAccounts = await seedInitiatives(s, { coordinatorId, fatimaId, evaId, annaId, mohammedId });

  return [
    { email: "coordinator@zorgzaam.example", role: "coordinator (verifies VOGs, grants roles, sees the access log)", name: "Karin Meijer" },
    { email: "anna@zorgzaam.example", role: "resident who asked for help", name: "Anna de Vries" },
    { email: "mohammed@zorgzaam.example", role: "volunteer in West, VOG verified", name: "Mohammed El Amrani" },
    { email: "sanne@zorgzaam.example", role: "volunteer in West, Reeland and Binnenstad", name: "Sanne Bakker" },
    { email: "henk@zorgzaam.example", role: "mantelzorger asking for his mother", name: "Henk Visser" },
    { email: "fatima@zorgzaam.example", role: "wijkwinkel organiser asking on behalf of residents", name: "Fatima Yilmaz" },
    { email: "eva@zorgzaam.example", role: "professional, Sociaal team Dordrecht West", name: "Eva Jansen" },
    ...initiativeAccounts,
  ];
}
