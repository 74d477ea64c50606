import type { Services } from "../src/app.services.js";
import { nextCityTime } from "../src/modules/initiatives/initiative.schedule.js";
import { DEMO_PASSWORD, type DemoAccount, viewerOf } from "./demo-accounts.js";

const DAY = 24 * 3600_000;
const nb = (slug: string) => `nb_dordrecht-${slug}`;

/**
 * Learning-work companies (leerwerkbedrijven) and their participation places. The Dordrecht source
 * text reports about 17 companies offering 375 places, 367 participants active in a year (303 of whom started that year) and a
 * regional utilisation of 64%: the placements below reproduce exactly those figures for the twelve
 * months up to the moment of seeding (`participationUtilisation` without arguments), 240 of the 375
 * places being filled at its end. Each company's own figures (participants, those placed before the
 * year, those placed at its end, those who left) are 0 or at least five, so none is suppressed and the
 * totals come out whole. Every company name is invented; the neighbourhoods are real.
 */
const LEARNING_WORK_COMPANIES = [
  // name, neighbourhood, places, participants in the year, of whom started before it, still placed at its end
  { name: "Leerwerkbedrijf De Werkplaats", nb: "zuidhoven", places: 40, participants: 39, before: 7, filled: 27, work: "metaal, hout en montage" },
  { name: "Groenbedrijf Het Wantij", nb: "stadspolders", places: 35, participants: 34, before: 7, filled: 23, work: "groenonderhoud en moestuinen" },
  { name: "Kringloopbedrijf De Tweede Ronde", nb: "crabbehof", places: 32, participants: 31, before: 5, filled: 21, work: "sorteren, repareren en verkopen" },
  { name: "Fietswerkplaats Op Weg", nb: "binnenstad", places: 30, participants: 29, before: 5, filled: 19, work: "fietsen repareren en verhuren" },
  { name: "Leerwerkkeuken De Staart", nb: "staart", places: 28, participants: 27, before: 5, filled: 18, work: "koken, bediening en catering" },
  { name: "Schoonmaakbedrijf Schoon Begin", nb: "oud-krispijn", places: 25, participants: 24, before: 5, filled: 16, work: "schoonmaak van kantoren en buurthuizen" },
  { name: "Drukkerij Het Merwedeblad", nb: "nieuw-krispijn", places: 24, participants: 23, before: 5, filled: 15, work: "drukwerk, afwerking en verzending" },
  { name: "Wasserij De Linnenkast", nb: "wielwijk", places: 22, participants: 21, before: 5, filled: 14, work: "wassen, strijken en vouwen" },
  { name: "Houtwerkplaats De Spaander", nb: "reeland", places: 20, participants: 20, before: 5, filled: 13, work: "meubels maken en opknappen" },
  { name: "Buurtsuper Om de Hoek", nb: "sterrenburg", places: 20, participants: 20, before: 5, filled: 13, work: "vakken vullen, kassa en bezorgen" },
  { name: "Stadsboerderij De Kinderboerderij", nb: "dubbeldam", places: 18, participants: 18, before: 5, filled: 12, work: "dierverzorging en rondleidingen" },
  { name: "Naaiatelier Draad en Zoom", nb: "noordflank", places: 18, participants: 18, before: 5, filled: 12, work: "naaien, herstellen en verkopen" },
  { name: "Koffiebranderij De Boon", nb: "binnenstad", places: 16, participants: 16, before: 0, filled: 10, work: "koffie branden, inpakken en schenken" },
  { name: "Tuincentrum De Groene Vingers", nb: "stadspolders", places: 15, participants: 15, before: 0, filled: 10, work: "planten kweken en verkopen" },
  { name: "Bezorgdienst Op Pad", nb: "zuidhoven", places: 12, participants: 12, before: 0, filled: 7, work: "pakketten en maaltijden bezorgen" },
  { name: "Computerwerkplaats Opnieuw Aan", nb: "crabbehof", places: 10, participants: 10, before: 0, filled: 5, work: "laptops opknappen en uitlenen" },
  { name: "Onderhoudsploeg Schoon Straatje", nb: "oud-krispijn", places: 10, participants: 10, before: 0, filled: 5, work: "zwerfvuil, graffiti en kleine reparaties" },
] as const;

const NEIGHBOURHOODS = [
  "oud-krispijn",
  "nieuw-krispijn",
  "wielwijk",
  "crabbehof",
  "zuidhoven",
  "sterrenburg",
  "stadspolders",
  "dubbeldam",
  "binnenstad",
  "noordflank",
  "staart",
  "reeland",
];

/**
 * Organisations, initiatives, sign-ups and participation placements for the demo, made through the
 * services so they obey the same rules as real use. Returns the demo account it adds.
 */
export async function seedInitiatives(s: Services, ids: { coordinatorId: string; fatimaId: string; evaId: string; annaId: string; mohammedId: string }): Promise<DemoAccount[]> {
  const start = s.clock.now();
  const coordinator = viewerOf(ids.coordinatorId, ["RESIDENT", "COORDINATOR"]);
  const fatima = viewerOf(ids.fatimaId, ["RESIDENT", "ORGANISER"]);
  const eva = viewerOf(ids.evaId, ["RESIDENT", "PROFESSIONAL"]);
  const anna = viewerOf(ids.annaId, ["RESIDENT"]);

  const ruudId = (
    await s.people.register({
      email: "ruud@zorgzaam.example",
      password: DEMO_PASSWORD,
      firstName: "Ruud",
      lastName: "Smit",
      neighbourhoodId: nb("zuidhoven"),
    })
  ).person.id;
  await s.people.grantRole(coordinator, ruudId, "ORGANISER");
  const ruud = viewerOf(ruudId, ["RESIDENT", "ORGANISER"]);

  // A wijkwinkel with a weekly coffee morning, a consultation hour and a course; its own volunteer pool.
  const wijkwinkel = await s.organisations.create(fatima, {
    name: "Wijkwinkel Krispijn",
    kind: "WIJKWINKEL",
    description: "Binnenlopen met vragen over geld, formulieren, zorg en de buurt. Koffie staat klaar.",
    neighbourhoodId: nb("oud-krispijn"),
    address: "Krispijnseweg 40, Dordrecht",
    phone: "078 000 1122",
  });
  await s.organisations.verify(coordinator, wijkwinkel.id);
  await s.organisations.addMember(fatima, wijkwinkel.id, ids.mohammedId, "VOLUNTEER");
  const weekly = (weekday: number, hour: number, minute: number, minutes: number, count: number) => {
    const startsAt = nextCityTime(new Date(start.getTime() + DAY), weekday, hour, minute);
    return { startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000), repeat: { frequency: "WEEKLY", count } };
  };
  const coffee = await s.initiatives.create(fatima, {
    organisationId: wijkwinkel.id,
    kind: "MEETING_PLACE",
    title: "Koffieochtend in de wijkwinkel",
    description: "Elke dinsdag koffie, thee en een praatje met buren. Iedereen is welkom, ook als je niemand kent.",
    neighbourhoodId: nb("oud-krispijn"),
    address: "Krispijnseweg 40, Dordrecht",
    schedule: weekly(2, 10, 0, 90, 26),
    audience: { languages: ["nl", "tr", "ar"] },
    accessibility: "Gelijkvloers en rolstoeltoegankelijk; invalidentoilet aanwezig.",
    categoryIds: ["cat_company"],
    publish: true,
  });
  await s.initiatives.create(fatima, {
    organisationId: wijkwinkel.id,
    kind: "SERVICE",
    title: "Spreekuur brieven en formulieren",
    description: "Samen kijken naar brieven van de gemeente, de belasting of de zorgverzekering. Neem je post mee.",
    neighbourhoodId: nb("oud-krispijn"),
    address: "Krispijnseweg 40, Dordrecht",
    capacity: 6,
    schedule: weekly(4, 13, 0, 120, 26),
    categoryIds: ["cat_paperwork", "cat_digital"],
    publish: true,
  });
  const course = await s.initiatives.create(fatima, {
    organisationId: wijkwinkel.id,
    kind: "COURSE",
    title: "Digitaal café: veilig internetten en DigiD",
    description: "Vier middagen oefenen met DigiD, internetbankieren en videobellen op je eigen telefoon of tablet.",
    neighbourhoodId: nb("nieuw-krispijn"),
    address: "Buurtkamer Nieuw-Krispijn, Dordrecht",
    capacity: 8,
    schedule: weekly(3, 14, 0, 120, 4),
    audience: { minAge: 55, languages: ["nl"] },
    categoryIds: ["cat_digital"],
    publish: true,
  });

  // A community centre in Wielwijk.
  const centre = await s.organisations.create(fatima, {
    name: "Buurthuis De Wielwijker",
    kind: "COMMUNITY_CENTRE",
    description: "Buurthuis voor jong en oud: samen eten, taal oefenen, jongerenwerk.",
    neighbourhoodId: nb("wielwijk"),
    address: "Wielwijkpark 2, Dordrecht",
  });
  await s.organisations.verify(coordinator, centre.id);
  await s.initiatives.create(fatima, {
    organisationId: centre.id,
    kind: "ACTIVITY",
    title: "Samen eten op vrijdag",
    description: "Een warme maaltijd voor drie euro, samen gekookt door buurtbewoners. Aanmelden voor woensdag.",
    neighbourhoodId: nb("wielwijk"),
    capacity: 24,
    schedule: weekly(5, 17, 30, 120, 12),
    categoryIds: ["cat_company"],
    publish: true,
  });
  await s.initiatives.create(fatima, {
    organisationId: centre.id,
    kind: "MEETING_PLACE",
    title: "Taalcafé: Nederlands oefenen",
    description: "Praten over alledaagse dingen in het Nederlands, met vrijwillige taalmaatjes. Alle niveaus.",
    neighbourhoodId: nb("wielwijk"),
    schedule: weekly(3, 19, 0, 90, 20),
    audience: { languages: ["nl", "ar", "ti", "en"] },
    categoryIds: ["cat_language", "cat_company"],
    publish: true,
  });
  await s.initiatives.create(fatima, {
    organisationId: centre.id,
    kind: "ACTIVITY",
    title: "Jongerenwerkplaats 16-27",
    description: "Elke maandagavond: koken, sporten en praten over wonen, werk en geld met jongerenwerkers.",
    neighbourhoodId: nb("crabbehof"),
    capacity: 15,
    schedule: weekly(1, 18, 30, 150, 12),
    audience: { minAge: 16, maxAge: 27 },
    categoryIds: ["cat_company"],
    publish: true,
  });

  await s.signups.signUp(anna, { initiativeId: coffee.id });
  await s.signups.signUp(anna, { initiativeId: course.id, note: "Ik heb een tablet van mijn kleinzoon." });
  for (const firstName of ["Gerda", "Wim", "Ans"]) {
    await s.signups.signUp(fatima, { initiativeId: course.id, participant: { firstName, neighbourhoodId: nb("oud-krispijn") } });
  }

  // Learning-work companies with participation places, and a year of placements.
  let participant = 0;
  for (const company of LEARNING_WORK_COMPANIES) {
    const org = await s.organisations.create(ruud, {
      name: company.name,
      kind: "LEARNING_WORK_COMPANY",
      description: `Leerwerkbedrijf: ${company.work}, met begeleiding op maat voor mensen met een grote afstand tot de arbeidsmarkt.`,
      neighbourhoodId: nb(company.nb),
    });
    await s.organisations.verify(coordinator, org.id);
    const place = await s.initiatives.create(ruud, {
      organisationId: org.id,
      kind: "PARTICIPATION_PLACE",
      title: `Participatieplekken ${company.name}`,
      description: `Werken en leren in ${company.work}; plaatsing via het sociaal team, matching door een onafhankelijke partij.`,
      neighbourhoodId: nb(company.nb),
      capacity: company.places,
      audience: { minAge: 18 },
      publish: true,
    });
    const ended = company.participants - company.filled;
    const placements: { id: string; endedAt: Date | null }[] = [];
    for (let j = 0; j < company.participants; j++) {
      participant += 1;
      const referral = await s.participation.refer(eva, {
        initiativeId: place.id,
        participant: { firstName: `Deelnemer ${String(participant).padStart(3, "0")}`, neighbourhoodId: nb(NEIGHBOURHOODS[participant % NEIGHBOURHOODS.length]) },
      });
      await s.participation.accept(ruud, referral.id, null);
      // Those placed before the year started, then starts spread over the year; the last ones end again.
      const ends = j >= company.participants - ended;
      const startedAt =
        j < company.before ? new Date(start.getTime() - (366 + ((j * 7) % 200)) * DAY) : new Date(start.getTime() - (ends ? 360 - ((j * 11) % 290) : 360 - ((j * 13) % 355)) * DAY);
      await s.participation.start(ruud, referral.id, startedAt);
      placements.push({ id: referral.id, endedAt: ends ? new Date(startedAt.getTime() + 45 * DAY) : null });
    }
    for (const p of placements) if (p.endedAt) await s.participation.end(ruud, p.id, p.endedAt, "Doorgestroomd naar betaald werk of een opleiding.");
  }

  return [{ email: "ruud@zorgzaam.example", role: "organiser of seventeen learning-work companies (participation places)", name: "Ruud Smit" }];
}
