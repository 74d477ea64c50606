/**
 * The FLOOR for the fan-out benchmark: a raw `ws` broadcast server. POST /publish {"title"} makes it
 * send one message to every connected socket: the message the real server sends a subscriber
 * (captured by the benchmark, in TEMPLATE) with the title swapped, so every message has the same
 * size. No GraphQL, no pub/sub, no per-subscriber reload or filtering: serialise once, send N times.
 * Env: PORT, HOST, TEMPLATE (a message with the title written as {{TITLE}}).
 */
import { createServer } from "node:http";
import { WebSocketServer } from "ws";

const template =
  process.env.TEMPLATE ??
  '{"id":"00000000-0000-4000-8000-000000000000","type":"next","payload":{"data":{"helpRequestPosted":{"cursor":"1","helpRequest":{"id":"hr_0000000000000000","title":"{{TITLE}}","neighbourhood":{"name":"Wielwijk"}}}}}}';

const server = createServer((req, res) => {
  if (req.url === "/healthz") {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"status":"ok"}');
    return;
  }
  if (req.method !== "POST" || req.url !== "/publish") {
    res.writeHead(404);
    res.end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const { title } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { title: string };
    const message = template.replace("{{TITLE}}", title);
    for (const socket of wss.clients) socket.send(message);
    res.writeHead(204);
    res.end();
  });
});
const wss = new WebSocketServer({ server, path: "/graphql" });
server.listen(Number(process.env.PORT ?? 4200), process.env.HOST ?? "127.0.0.1");
const stop = () => {
  for (const socket of wss.clients) socket.terminate();
  wss.close();
  server.close(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
