import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildVolunteer } from "../support/builders.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const KEEP_ALIVE_MS = 600;
const POSTED = `subscription { helpRequestPosted { cursor } }`;

/** A graphql-ws connection over a plain ws socket; `answersPings: false` is a peer that went away without closing. */
async function connect(t: TestApp, token: string, answersPings: boolean) {
  const socket = new WebSocket(t.wsUrl, "graphql-transport-ws", { autoPong: answersPings });
  let pings = 0;
  socket.on("ping", () => (pings += 1));
  const closed = new Promise<{ code: number; at: number }>((resolve) => socket.once("close", (code) => resolve({ code, at: Date.now() })));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  const acked = new Promise<void>((resolve) => socket.once("message", () => resolve()));
  socket.send(JSON.stringify({ type: "connection_init", payload: { authorization: `Bearer ${token}` } }));
  await acked;
  socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query: POSTED } }));
  return { socket, closed, pings: () => pings };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("WebSocket keep-alive", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ name: "sqlite" }, {}, { webSocketKeepAliveMs: KEEP_ALIVE_MS });
  });
  afterAll(async () => t?.close());

  it("drops a socket that stops answering pings within two intervals, and keeps every socket that answers", async () => {
    const volunteer = await buildVolunteer(t);
    const answering = await Promise.all(Array.from({ length: 30 }, () => connect(t, volunteer.token, true)));
    const silent = await connect(t, volunteer.token, false);
    const since = Date.now();
    const gone = await silent.closed;
    // Pinged at its turn, dropped at the next one: between one and two intervals (and a turn) later.
    expect(gone.at - since).toBeLessThan(2 * KEEP_ALIVE_MS + KEEP_ALIVE_MS / 6 + 500);
    expect(gone.code).toBe(1006); // terminated: no closing handshake with a peer that does not answer
    await sleep(3 * KEEP_ALIVE_MS);
    for (const a of answering) {
      expect(a.socket.readyState).toBe(WebSocket.OPEN);
      // Pinged once per interval: spread over it, never in a burst and never skipped.
      expect(a.pings()).toBeGreaterThanOrEqual(3);
      expect(a.pings()).toBeLessThanOrEqual(8);
    }
    for (const a of answering) a.socket.close();
  });
});
