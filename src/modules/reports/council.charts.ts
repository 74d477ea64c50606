import * as vega from "vega";
import { type TopLevelSpec, compile } from "vega-lite";

/** A chart's rows: a label on the x axis, a number, and optionally a series. */
export interface ChartRow {
  x: string;
  y: number;
  series?: string;
}

/**
 * Renders a Vega-Lite chart to SVG on the server (no browser, no CDN, no script in the page). The SVG is
 * decorative beside the table that carries the same numbers: it is given role="img" and a title by the page.
 */
export async function chartSvg(kind: "line" | "bar", rows: ChartRow[], axes: { x: string; y: string }, width = 560): Promise<string> {
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width,
    height: 220,
    data: { values: rows },
    mark: kind === "line" ? { type: "line", point: true } : { type: "bar" },
    encoding: {
      x: { field: "x", type: "ordinal", title: axes.x, sort: null, axis: { labelAngle: kind === "bar" ? -30 : 0 } },
      y: { field: "y", type: "quantitative", title: axes.y },
      ...(rows.some((r) => r.series) ? { color: { field: "series", type: "nominal", title: null } } : {}),
    },
    // The page names the chart (role="img" with a label) and gives its numbers in a table: the marks carry no roles of their own.
    config: { font: "sans-serif", background: "white", aria: false },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg.replace(/^<svg /, '<svg aria-hidden="true" focusable="false" ');
}
