import type { Kit } from "../../db/kit.js";

/**
 * The statistics kept as they happen: the published figures of each ended month per neighbourhood,
 * and how far the statistics have read the event log. A cell is removed when an event (or an erasure,
 * or retention) touches what it was computed from, and computed again from the rows by the sweep or
 * the next read; so a stored cell always equals what the rows give. No personal data: only figures.
 */
export function defineStatsTables(k: Kit) {
  const statsCells = k.table(
    "stats_cells",
    {
      /** YYYY-MM (Europe/Amsterdam). */
      month: k.text("month").notNull(),
      neighbourhoodId: k.text("neighbourhood_id").notNull(),
      /** The cell's figures, already suppressed (StatsCell without month and neighbourhood). */
      figures: k.json<Record<string, unknown>>("figures").notNull(),
      computedAt: k.time("computed_at").notNull(),
    },
    (t) => [k.primaryKey({ columns: [t.month, t.neighbourhoodId] })],
  );

  /**
   * One row (`cells`): the last event-log sequence whose changes are reflected in the stored cells, and
   * a generation that moves whenever every cell is dropped (erasure, retention, a cursor behind pruning).
   */
  const statsState = k.table("stats_state", {
    name: k.text("name").primaryKey(),
    seq: k.bigint("seq").notNull(),
    generation: k.bigint("generation").notNull(),
    updatedAt: k.time("updated_at").notNull(),
  });

  return { statsCells, statsState };
}

export type StatsTables = ReturnType<typeof defineStatsTables>;
