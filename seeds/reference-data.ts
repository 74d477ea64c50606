import type { AreaRow, NeighbourhoodRow, NewCategoryRow, TeamRow } from "../src/modules/places/place.repository.js";

/**
 * Real places: Dordrecht's three areas (West, Oost, Centrum), each with a sociaal wijkteam and a
 * jeugdteam, and their neighbourhoods with approximate centroids (WGS84, public map data).
 *
 * CBS codes: each of these neighbourhoods is a CBS wijk of Dordrecht (gemeente GM0505), so the code is a
 * wijk code, WK0505 + the wijk number. Source: the CBS wijk list (gemeente + wijk number, e.g. 50509
 * "Wijk 09 Sterrenburg") in github.com/davidhigler/buildingexaminator, src/DataFixtures/LoadResidentialAreaData.php
 * (commit cf97ed264eba7cb409b442d12d91c0b5fc0e679d), taken from CBS's "buurt, wijk en gemeente voor
 * postcode en huisnummer" files; the CBS year is not stated there (it holds the Groningen wijken after the
 * 2019 merger, so 2019 or later). Wijk 09 Sterrenburg is confirmed by buurt BU05050901 "Sterrenburg
 * 1-Oost" in a CBS buurt record quoted in another public repository. CBS spells "Oud Krispijn",
 * "Nieuw-krispijn" and "Het Reeland". Crabbehof and Zuidhoven have no code: CBS has one wijk for both
 * (50508 "Wijk 08 Crabbehof/Zuidhoven"), and their buurt codes were not found in a source. See
 * docs/statistics-privacy.md, "CBS codes".
 */
const dordrecht: Record<string, [string, number, number, string | null][]> = {
  West: [
    ["Oud-Krispijn", 51.8038, 4.6722, "WK050503"],
    ["Nieuw-Krispijn", 51.7985, 4.6789, "WK050504"],
    ["Wielwijk", 51.7946, 4.6562, "WK050507"],
    ["Crabbehof", 51.7893, 4.6694, null],
    ["Zuidhoven", 51.7838, 4.6806, null],
  ],
  Oost: [
    ["Sterrenburg", 51.7905, 4.7034, "WK050509"],
    ["Stadspolders", 51.8031, 4.7352, "WK050511"],
    ["Dubbeldam", 51.8092, 4.7183, "WK050510"],
  ],
  Centrum: [
    ["Binnenstad", 51.8153, 4.6672, "WK050501"],
    ["Noordflank", 51.8176, 4.6861, "WK050502"],
    ["Staart", 51.8214, 4.6958, "WK050506"],
    ["Reeland", 51.8072, 4.6958, "WK050505"],
  ],
};

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export const areas: AreaRow[] = Object.keys(dordrecht).map((name) => ({
  id: `area_dordrecht-${slug(name)}`,
  municipality: "Dordrecht",
  name,
}));

export const neighbourhoods: NeighbourhoodRow[] = Object.entries(dordrecht).flatMap(([area, list]) =>
  list.map(([name, latitude, longitude, cbsCode]) => ({
    id: `nb_dordrecht-${slug(name)}`,
    areaId: `area_dordrecht-${slug(area)}`,
    name,
    latitude,
    longitude,
    cbsCode,
  })),
);

export const teams: TeamRow[] = Object.keys(dordrecht).flatMap((area) => [
  { id: `team_dordrecht-${slug(area)}-swt`, areaId: `area_dordrecht-${slug(area)}`, kind: "SOCIAL_TEAM" as const, name: `Sociaal team Dordrecht ${area}` },
  { id: `team_dordrecht-${slug(area)}-jt`, areaId: `area_dordrecht-${slug(area)}`, kind: "YOUTH_TEAM" as const, name: `Jeugdteam Dordrecht ${area}` },
]);

export const categories: NewCategoryRow[] = [
  ["GROCERIES", "Groceries", "Boodschappen", "Doing or carrying the shopping."],
  ["TRANSPORT", "Transport", "Vervoer", "A lift to the doctor, the hospital, the market or a visit."],
  ["ODD_JOBS", "Odd jobs", "Klusjes", "Small jobs in and around the house: a lamp, a shelf, the garden."],
  ["COMPANY", "Company", "Gezelschap", "A visit, a walk, a cup of coffee: against loneliness."],
  ["PAPERWORK", "Paperwork", "Administratie", "Letters, forms and bills; help with the administration."],
  ["DIGITAL", "Digital help", "Digitale hulp", "Phone, tablet, DigiD, video calling."],
  ["LANGUAGE", "Language buddy", "Taalmaatje", "Practising Dutch; help for newcomers and statushouders."],
  ["YOUNG_PARENTS", "Support for young parents", "Steun voor jonge ouders", "A hand for young parents and parents who are separating."],
  ["RESPITE", "Respite care", "Respijtzorg", "Taking over so a mantelzorger can rest."],
].map(([code, name, nameNl, description]) => ({ id: `cat_${code.toLowerCase().replace(/_/g, "-")}`, code, name, nameNl, description }));
