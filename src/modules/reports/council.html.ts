import type { Figure } from "../stats/stats.suppression.js";
import type { Lang, Words } from "./council.i18n.js";

/** Names the page shows for ids (neighbourhoods, teams, the area). */
export interface Names {
  neighbourhood(id: string): string;
  team(id: string): string;
  area: string | null;
}

export const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export function num(f: Figure, w: Words, lang: Lang, kind: "count" | "share" | "measure" = "count"): string {
  if (f.suppressed) return `<span class="withheld">${w.withheld}</span>`;
  if (f.value === null) return w.none;
  if (kind === "share") return `${(f.value * 100).toLocaleString(lang === "nl" ? "nl-NL" : "en-GB", { maximumFractionDigits: 0 })}%`;
  return f.value.toLocaleString(lang === "nl" ? "nl-NL" : "en-GB", { maximumFractionDigits: 1 });
}

export function table(caption: string, head: string[], rows: string[][]): string {
  return `<table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr><th scope="row">${r[0]}</th>${r
          .slice(1)
          .map((c) => `<td>${c}</td>`)
          .join("")}</tr>`,
    )
    .join("")}</tbody></table>`;
}

export const figure = (svg: string, label: string, caption: string) =>
  `<figure><div class="chart" role="img" aria-label="${esc(label)}">${svg}</div><figcaption>${esc(caption)}</figcaption></figure>`;
