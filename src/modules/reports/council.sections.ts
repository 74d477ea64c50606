import type { CouncilFigures } from "../stats/stats.council.js";
import type { Figure } from "../stats/stats.suppression.js";
import { chartSvg } from "./council.charts.js";
import { type Names, esc, figure, num, table } from "./council.html.js";
import type { Lang, Words } from "./council.i18n.js";

/** Hours of informal help: a trend chart over the published monthly totals, the cells and their totals in tables. */
export async function informalSection(f: CouncilFigures, names: Names, w: Words, lang: Lang): Promise<string> {
  const source = f.sourced.find((s) => s.name === "informalHours");
  if (!source) return "";
  const t = source.totals;
  const trend = t.perMonth.filter((m) => !m.figure.suppressed).map((m) => ({ x: m.month, y: m.figure.value ?? 0 }));
  const svg = await chartSvg("line", trend, { x: w.month, y: w.hours });
  const rows = f.neighbourhoodIds.map((id) => [
    esc(names.neighbourhood(id)),
    ...f.months.map((m) => num(source.cells.find((c) => c.month === m && c.neighbourhoodId === id)?.figure ?? { value: null, suppressed: true }, w, lang)),
    num(t.perNeighbourhood.find((n) => n.neighbourhoodId === id)?.figure ?? { value: null, suppressed: true }, w, lang),
  ]);
  return [
    `<section aria-labelledby="informal"><h2 id="informal">${esc(w.informal)}</h2>`,
    figure(svg, w.informal, w.informalCaption),
    table(w.informal, [w.neighbourhood, ...f.months, w.total], rows),
    table(
      `${w.informal}: ${w.total}`,
      [w.month, w.hours],
      [
        ...t.perMonth.map((m) => [esc(m.month), num(m.figure, w, lang)]),
        ...t.perQuarter.map((q) => [esc(q.quarter), num(q.figure, w, lang)]),
        [esc(w.total), num(t.overall, w, lang)],
      ],
    ),
    `</section>`,
  ].join("\n");
}

/** Active care circles and intensively loaded mantelzorgers per neighbourhood and month, with their yearly totals. */
export function circlesSection(f: CouncilFigures, names: Names, w: Words, lang: Lang): string {
  const active = f.sourced.find((s) => s.name === "activeCareCircles");
  const intensive = f.sourced.find((s) => s.name === "intensiveMantelzorgers");
  if (!active || !intensive) return "";
  const at = (cells: CouncilFigures["sourced"][number]["cells"], month: string, id: string): Figure =>
    cells.find((c) => c.month === month && c.neighbourhoodId === id)?.figure ?? { value: null, suppressed: true };
  return [
    `<section aria-labelledby="circles"><h2 id="circles">${esc(w.circles)}</h2>`,
    table(
      w.circles,
      [w.neighbourhood, w.month, w.activeCircles, w.intensive],
      f.neighbourhoodIds.flatMap((id) =>
        f.months.map((m) => [esc(names.neighbourhood(id)), esc(m), num(at(active.cells, m, id), w, lang), num(at(intensive.cells, m, id), w, lang)]),
      ),
    ),
    `</section>`,
  ].join("\n");
}

/** First contact and closing within their norms per team. */
export function normsSection(f: CouncilFigures, names: Names, w: Words, lang: Lang): string {
  if (f.teamNorms.length === 0) return "";
  return table(
    w.norms,
    [
      w.team,
      `${w.firstContact}: ${w.met}`,
      `${w.firstContact}: ${w.missed}`,
      `${w.firstContact}: ${w.openOverdue}`,
      `${w.closing}: ${w.met}`,
      `${w.closing}: ${w.missed}`,
      `${w.closing}: ${w.openOverdue}`,
    ],
    f.teamNorms.map((x) => [
      esc(names.team(x.teamId)),
      num(x.firstContact.met, w, lang),
      num(x.firstContact.missed, w, lang),
      num(x.firstContact.openOverdue, w, lang),
      num(x.close.met, w, lang),
      num(x.close.missed, w, lang),
      num(x.close.openOverdue, w, lang),
    ]),
  );
}

/** Each buddy programme's months, withheld as the programme's own figures are. */
export function buddySection(f: CouncilFigures, w: Words, lang: Lang): string {
  if (f.buddyProgrammes.length === 0) return "";
  return [
    `<section aria-labelledby="buddies"><h2 id="buddies">${esc(w.buddies)}</h2>`,
    ...f.buddyProgrammes.map((p) =>
      table(
        `${w.programme}: ${p.name}`,
        [w.month, w.waiting, w.buddyMatched, w.started, w.ended, w.endedWell, w.meanDays],
        p.months.map((m) => [
          esc(m.month),
          num(m.waiting, w, lang),
          num(m.matched, w, lang),
          num(m.started, w, lang),
          num(m.ended, w, lang),
          num(m.endedWell, w, lang),
          num(m.meanDurationDays, w, lang, "measure"),
        ]),
      ),
    ),
    `</section>`,
  ].join("\n");
}

/** The CSV rows of the same figures (section, month, who, figure, value). */
export function informalCsv(f: CouncilFigures, names: Names, put: (section: string, month: string, who: string, figure: string, v: Figure) => void): void {
  for (const s of f.sourced) {
    for (const c of s.cells) put("cell", c.month, names.neighbourhood(c.neighbourhoodId), s.name, c.figure);
    for (const m of s.totals.perMonth) put("total", m.month, "", s.name, m.figure);
    for (const q of s.totals.perQuarter) put("total", q.quarter, "", s.name, q.figure);
    for (const n of s.totals.perNeighbourhood) put("total", String(f.year), names.neighbourhood(n.neighbourhoodId), s.name, n.figure);
    put("total", String(f.year), "", s.name, s.totals.overall);
  }
  for (const x of f.teamNorms) {
    const who = names.team(x.teamId);
    for (const [norm, v] of [
      ["firstContact", x.firstContact],
      ["close", x.close],
    ] as const) {
      put("team", String(f.year), who, `${norm}:met`, v.met);
      put("team", String(f.year), who, `${norm}:missed`, v.missed);
      put("team", String(f.year), who, `${norm}:openOverdue`, v.openOverdue);
    }
  }
  for (const p of f.buddyProgrammes) {
    for (const m of p.months) {
      for (const key of ["waiting", "matched", "started", "ended", "endedWell", "meanDurationDays"] as const) put("buddy", m.month, p.name, key, m[key]);
    }
  }
}
