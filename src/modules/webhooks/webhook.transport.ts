import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { type AddressPolicy, checkEndpointUrl, resolveForSending } from "./webhook.address.js";

/** What an attempt came to: the status code (null: no answer), how long it took, what went wrong. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

const BODY_KEEP = 200;

/**
 * Posts one signed message. The host is resolved and every address checked first, then the request
 * connects to the checked addresses only (the socket's lookup answers with them), so the name cannot be
 * re-pointed between check and connect; TLS still verifies the certificate against the host name.
 * Redirects are not followed (node's http client never does): a 3xx is a failed attempt.
 */
export async function postSigned(rawUrl: string, body: string, headers: Record<string, string>, policy: AddressPolicy, timeoutMs: number): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const checked = checkEndpointUrl(rawUrl, policy);
    const targets = await resolveForSending(checked);
    // The socket asks for every address when it tries them in turn (autoSelectFamily), else for one.
    const pinned: LookupFunction = (_host, options, callback) => {
      if (options.all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, targets);
      else callback(null, targets[0].address, targets[0].family);
    };
    const client = checked.url.protocol === "https:" ? https : http;
    const statusCode = await new Promise<number>((resolve, reject) => {
      const req = client.request(
        checked.url,
        {
          method: "POST",
          lookup: pinned,
          timeout: timeoutMs,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "user-agent": "Zorgzaam-Webhooks/1", ...headers },
        },
        (res) => {
          // Read at most a little of the answer; receivers are asked to answer fast with 2xx.
          let kept = 0;
          res.on("data", (chunk: Buffer) => {
            kept += chunk.length;
            if (kept > BODY_KEEP) res.destroy();
          });
          res.on("close", () => resolve(res.statusCode ?? 0));
          res.on("error", () => resolve(res.statusCode ?? 0));
        },
      );
      const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on("error", reject);
      req.on("close", () => clearTimeout(deadline));
      req.end(body);
    });
    const ok = statusCode >= 200 && statusCode < 300;
    return { ok, statusCode, durationMs: elapsed(), error: ok ? null : `answered ${statusCode}` };
  } catch (err) {
    return { ok: false, statusCode: null, durationMs: elapsed(), error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 500) : String(err).slice(0, 500) };
  }
}
