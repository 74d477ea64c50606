import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (CI installs it), or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Whether the browser tests can run; when not, `what` is said loudly, so a skip is never silent. */
export function hasChromium(what: string): boolean {
  const found = existsSync(CHROMIUM);
  if (!found) console.warn(`SKIPPED: ${what} needs Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  return found;
}

/** Flags that keep Chromium from reaching out on its own (updates, sync, field trials, QUIC probing). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Headless Chromium for a test file. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}
