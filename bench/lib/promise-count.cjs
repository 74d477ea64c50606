// Preloaded into the server by bench/promises.ts (node --require): counts the promises made while
// requests are served, from the 500th request on (start-up and warm-up left out), and on SIGTERM
// appends "promises per request" (and, with PROMISE_SITES=1, where they were made) to PROMISE_COUNT_FILE.
"use strict";
const hooks = require("node:async_hooks");
const http = require("node:http");
const fs = require("node:fs");
const WARM_UP = 500;
const sites = process.env.PROMISE_SITES === "1" ? new Map() : null;
let promises = 0;
let requests = 0;
hooks
  .createHook({
    init(_id, type) {
      if (type !== "PROMISE" || requests < WARM_UP) return;
      promises++;
      if (sites) {
        const at = new Error().stack
          .split("\n")
          .slice(4, 6)
          .map((l) =>
            l
              .trim()
              .replace(/^at /, "")
              .replace(/\(.*node_modules\//, "(")
              .replace(/\(file:\/\/.*\/dist\/src\//, "(src/"),
          )
          .join(" < ");
        sites.set(at, (sites.get(at) ?? 0) + 1);
      }
    },
  })
  .enable();
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === "request") requests++;
  return emit.call(this, event, ...args);
};
process.on("SIGTERM", () => {
  const counted = Math.max(1, requests - WARM_UP + 1);
  let out = `promises per request: ${(promises / counted).toFixed(1)} over ${counted} requests\n`;
  if (sites) for (const [at, n] of [...sites].sort((a, b) => b[1] - a[1]).slice(0, 40)) out += `${(n / counted).toFixed(1).padStart(6)}  ${at}\n`;
  fs.appendFileSync(process.env.PROMISE_COUNT_FILE, out);
  process.exit(0);
});
