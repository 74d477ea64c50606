/**
 * An OTLP/HTTP trace receiver that accepts everything and keeps nothing, so a server with tracing on
 * can be measured with the export included (bench/README.md, "Tracing"):
 *   taskset -c 1 npx tsx bench/otlp-sink.ts [--port 4318] &
 *   taskset -c 1 npx tsx bench/ab.ts --variant OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318
 * Prints the spans received every ten seconds and when stopped.
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { port: { type: "string", default: "4318" } } });
let spans = 0;
let batches = 0;
const server = createServer((req, res) => {
  let body = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (body += chunk));
  req.on("end", () => {
    batches += 1;
    // OTLP/HTTP JSON: one "spanId" per span (a parent's id is "parentSpanId").
    spans += body.split('"spanId"').length - 1;
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
server.listen(Number(values.port), "127.0.0.1", () => console.log(`OTLP sink on http://127.0.0.1:${values.port}`));
const report = () => console.log(`${spans} spans in ${batches} batches`);
setInterval(report, 10_000).unref();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    report();
    server.close();
    process.exit(0);
  });
}
