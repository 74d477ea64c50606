import type { Kit } from "../../db/kit.js";

export type TeamKind = "SOCIAL_TEAM" | "YOUTH_TEAM";

/** Reference data: areas (gebieden), their neighbourhoods (wijken), help categories and the teams per area. */
export function definePlaceTables(k: Kit) {
  const areas = k.table("areas", {
    id: k.text("id").primaryKey(),
    municipality: k.text("municipality").notNull(),
    name: k.text("name").notNull(),
  });

  const neighbourhoods = k.table(
    "neighbourhoods",
    {
      id: k.text("id").primaryKey(),
      areaId: k
        .text("area_id")
        .notNull()
        .references(() => areas.id),
      name: k.text("name").notNull(),
      latitude: k.real("latitude").notNull(),
      longitude: k.real("longitude").notNull(),
      /** CBS code of the matching wijk (WK + gemeente + wijk) or buurt (BU + ... + buurt); null when unknown. */
      cbsCode: k.text("cbs_code"),
    },
    (t) => [k.index("neighbourhoods_area_idx").on(t.areaId)],
  );

  const helpCategories = k.table("help_categories", {
    id: k.text("id").primaryKey(),
    code: k.text("code").notNull().unique(),
    name: k.text("name").notNull(),
    nameNl: k.text("name_nl").notNull(),
    description: k.text("description").notNull(),
    /** A coordinator's rule: requests in this category need a volunteer with a verified VOG (helping a minor always does). */
    vogRequired: k.bool("vog_required").notNull().default(false),
  });

  const teams = k.table(
    "teams",
    {
      id: k.text("id").primaryKey(),
      areaId: k
        .text("area_id")
        .notNull()
        .references(() => areas.id),
      kind: k.text("kind").$type<TeamKind>().notNull(),
      name: k.text("name").notNull(),
    },
    (t) => [k.uniqueIndex("teams_area_kind_idx").on(t.areaId, t.kind)],
  );

  return { areas, neighbourhoods, helpCategories, teams };
}

export type PlaceTables = ReturnType<typeof definePlaceTables>;
