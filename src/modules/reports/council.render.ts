import type { CouncilFigures } from "../stats/stats.council.js";
import type { Figure } from "../stats/stats.suppression.js";
import { chartSvg } from "./council.charts.js";
import { type Lang, WORDS, fill } from "./council.i18n.js";
import { type Names, esc, figure, num, table } from "./council.html.js";
import { buddySection, circlesSection, informalSection, normsSection, informalCsv } from "./council.sections.js";

export type { Names } from "./council.html.js";

const CSS = `body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:62rem;padding:0 1rem;color:#111;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:right}th[scope=row],thead th{text-align:left;background:#f3f3f3}
.withheld{color:#555;font-style:italic}.note{background:#fff6d6;border-left:4px solid #a67c00;padding:.5rem .75rem}
.chart svg{max-width:100%;height:auto}figure{margin:1rem 0}a{color:#0645ad}
@media print{body{margin:0;max-width:none}nav,.noprint{display:none}h2{break-after:avoid}table,figure{break-inside:avoid}a{color:#000}}`;

/** The council report as one HTML page: charts rendered to SVG on the server, the numbers in tables beside them. */
export async function councilHtml(f: CouncilFigures, names: Names, lang: Lang, csvHref: string): Promise<string> {
  const w = WORDS[lang];
  const t = f.requestTotals;
  const trend = t.perMonth.filter((m) => !m.figure.suppressed).map((m) => ({ x: m.month, y: m.figure.value ?? 0 }));
  const compare = t.perNeighbourhood.filter((n) => !n.figure.suppressed).map((n) => ({ x: names.neighbourhood(n.neighbourhoodId), y: n.figure.value ?? 0 }));
  const response = f.teams.filter((x) => !x.medianHoursToAcknowledge.suppressed).map((x) => ({ x: names.team(x.teamId), y: x.medianHoursToAcknowledge.value ?? 0 }));
  const [trendSvg, compareSvg, responseSvg] = await Promise.all([
    chartSvg("line", trend, { x: w.month, y: w.requests }),
    chartSvg("bar", compare, { x: w.neighbourhood, y: w.requests }),
    chartSvg("bar", response, { x: w.team, y: w.ackHours }),
  ]);
  const cellsOf = (month: string) => f.cells.filter((c) => c.month === month);
  const perNeighbourhood = f.neighbourhoodIds.map((id) => {
    const cells = f.cells.filter((c) => c.neighbourhoodId === id);
    const total = t.perNeighbourhood.find((n) => n.neighbourhoodId === id)!.figure;
    return [esc(names.neighbourhood(id)), ...cells.map((c) => num(c.requests, w, lang)), num(total, w, lang)];
  });
  const title = fill(w.title, { year: f.year });
  const parts = [
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body><main>`,
    `<h1>${esc(title)}</h1>`,
    `<p>${esc(w.area)}: <strong>${esc(names.area ?? w.city)}</strong></p>`,
    `<p>${esc(fill(w.intro, { n: f.suppressionThreshold }))}</p>`,
    `<p class="noprint"><a href="${esc(csvHref)}">${esc(w.csv)}</a></p>`,
    `<section aria-labelledby="trend"><h2 id="trend">${esc(w.trend)}</h2>`,
    figure(trendSvg, w.trend, w.trendCaption),
    table(
      w.trend,
      [w.month, w.requests],
      [
        ...t.perMonth.map((m) => [esc(m.month), num(m.figure, w, lang)]),
        ...t.perQuarter.map((q) => [esc(q.quarter), num(q.figure, w, lang)]),
        [esc(w.total), num(t.overall, w, lang)],
      ],
    ),
    `</section><section aria-labelledby="comparison"><h2 id="comparison">${esc(w.comparison)}</h2>`,
    figure(compareSvg, w.comparison, w.comparisonCaption),
    table(w.comparison, [w.neighbourhood, ...f.months, w.total], perNeighbourhood),
    table(
      `${w.matched}, ${w.volunteers}, ${w.mantelzorgers}, ${w.participation}`,
      [w.neighbourhood, w.month, w.matched, w.volunteers, w.mantelzorgers, w.participation],
      f.months.flatMap((m) =>
        cellsOf(m)
          .filter((c) => c.closed)
          .map((c) => [
            esc(names.neighbourhood(c.neighbourhoodId)),
            esc(m),
            num(c.matchedByVolunteers, w, lang, "share"),
            num(c.activeVolunteers, w, lang),
            num(c.mantelzorgersSupported, w, lang),
            num(c.participationUtilisation, w, lang, "share"),
          ]),
      ),
    ),
    `</section>`,
    await informalSection(f, names, w, lang),
    circlesSection(f, names, w, lang),
    `<section aria-labelledby="teams"><h2 id="teams">${esc(w.teams)}</h2>`,
    figure(responseSvg, w.teams, w.teamsCaption),
    table(
      w.teams,
      [w.team, w.cases, w.inNorm, w.ackHours, w.closeDays, w.overdue, w.byTrigger, w.byOutcome],
      f.teams.map((x) => [
        esc(names.team(x.teamId)),
        num(x.cases, w, lang),
        num(x.acknowledgedWithinNorm, w, lang, "share"),
        num(x.medianHoursToAcknowledge, w, lang, "measure"),
        num(x.medianDaysToClose, w, lang, "measure"),
        num(x.overdueNow, w, lang),
        x.byTrigger.map((g) => `${esc(g.trigger)}: ${num(g.cases, w, lang)}`).join("<br>") || w.none,
        x.byOutcome.map((g) => `${esc(g.outcome)}: ${num(g.cases, w, lang)}`).join("<br>") || w.none,
      ]),
    ),
    normsSection(f, names, w, lang),
    `</section>`,
    buddySection(f, w, lang),
    `<section aria-labelledby="cost"><h2 id="cost">${esc(w.cost)}</h2><p>${esc(w.costIntro)}</p>`,
    f.tariffs.example ? `<p class="note"><strong>${esc(w.example)}</strong> (${esc(f.tariffs.source)})</p>` : `<p>${esc(f.tariffs.source)}</p>`,
    table(
      w.cost,
      [w.what, w.count, w.tariff, w.estimate],
      f.estimates.map((e) => [esc(e.what), num(e.count, w, lang), esc(e.tariff), e.eur.suppressed ? num(e.eur, w, lang) : `${f.tariffs.currency} ${num(e.eur, w, lang)}`]),
    ),
    f.pending.length ? `<p>${esc(fill(w.pending, { names: f.pending.join(", ") }))}</p>` : "",
    `</section></main></body></html>`,
  ];
  return parts.join("\n");
}

/** The same figures as CSV: one row per figure, withheld ones with an empty value and suppressed=true. */
export function councilCsv(f: CouncilFigures, names: Names): string {
  const rows: (string | number | boolean | null)[][] = [["section", "month", "neighbourhood_or_team", "figure", "value", "suppressed", "tariff"]];
  const put = (section: string, month: string, who: string, figure: string, v: Figure, tariff = "") => rows.push([section, month, who, figure, v.value, v.suppressed, tariff]);
  for (const c of f.cells) {
    const who = names.neighbourhood(c.neighbourhoodId);
    put("cell", c.month, who, "requests", c.requests);
    put("cell", c.month, who, "matchedByVolunteers", c.matchedByVolunteers);
    put("cell", c.month, who, "medianHoursToMatch", c.medianHoursToMatch);
    put("cell", c.month, who, "activeVolunteers", c.activeVolunteers);
    put("cell", c.month, who, "mantelzorgersSupported", c.mantelzorgersSupported);
    put("cell", c.month, who, "participationUtilisation", c.participationUtilisation);
    put("cell", c.month, who, "initiativeFillRate", c.initiativeFillRate);
  }
  for (const m of f.requestTotals.perMonth) put("total", m.month, "", "requests", m.figure);
  for (const q of f.requestTotals.perQuarter) put("total", q.quarter, "", "requests", q.figure);
  for (const n of f.requestTotals.perNeighbourhood) put("total", String(f.year), names.neighbourhood(n.neighbourhoodId), "requests", n.figure);
  put("total", String(f.year), "", "requests", f.requestTotals.overall);
  for (const x of f.teams) {
    const who = names.team(x.teamId);
    put("team", String(f.year), who, "cases", x.cases);
    put("team", String(f.year), who, "acknowledgedWithinNorm", x.acknowledgedWithinNorm);
    put("team", String(f.year), who, "medianHoursToAcknowledge", x.medianHoursToAcknowledge);
    put("team", String(f.year), who, "medianDaysToClose", x.medianDaysToClose);
    put("team", String(f.year), who, "overdueNow", x.overdueNow);
    for (const g of x.byTrigger) put("team", String(f.year), who, `cases:trigger:${g.trigger}`, g.cases);
    for (const g of x.byOutcome) put("team", String(f.year), who, `cases:outcome:${g.outcome}`, g.cases);
  }
  informalCsv(f, names, put);
  for (const e of f.estimates) put(f.tariffs.example ? "estimate (example tariffs)" : "estimate", String(f.year), "", `${e.what} EUR`, e.eur, e.tariff);
  const cell = (v: string | number | boolean | null) => {
    const s = v === null ? "" : String(v);
    return /[",\n\r]|^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}
