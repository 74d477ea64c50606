/**
 * The most expensive queries the default limits let through (depth 12, 30 aliases, 2,000 tokens,
 * cost 20,000): for each shape of attack (aliases over nested lists, connections inside
 * connections, `nodes` batches, introspection, ...) the largest instance whose cost is within the
 * limit, found with the server's own cost rule, then sent to the real server one at a time. Reports
 * the server's CPU time per query beside a trivial query's, the answer's size, and the slowest
 * `/healthz` answer while the query ran (another client probes it all along). The reproduction of
 * the alias-and-lists attack must be refused. The server runs with introspection on (the default
 * outside production), so introspection is measured too.
 */
import "reflect-metadata";
import { Agent, request } from "node:http";
import { type DocumentNode, getIntrospectionQuery, parse, specifiedRules, validate } from "graphql";
import { buildGraphQLSchema } from "../../src/app.schema.js";
import { QueryCost } from "../../src/graphql/cost.js";
import { validationRules } from "../../src/graphql/validation.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../../src/shared/pagination.js";
import type { DataManifest } from "../generate.js";
import { cpuSeconds, startAppServer, waitForQuiet } from "../lib/proc.js";
import { round, summarise } from "../lib/stats.js";
import { signToken } from "../lib/tokens.js";

/** The server's defaults (src/config/env.ts). */
const LIMITS = { maxDepth: 12, maxAliases: 30, maxTokens: 2000, maxCost: 50_000 };

export interface WorstQueryRun {
  name: string;
  /** What the query does, and as whom. */
  shape: string;
  /** The cost the server's rule gives it. */
  cost: number;
  tokens: number;
  /** "ok", or the reason it was refused. */
  outcome: string;
  bytes: number;
  requests: number;
  /** Server CPU per query (ms), measured on the server process over all requests, less its idle CPU. */
  serverCpuMs: number;
  /** The same without taking the idle CPU off. */
  serverCpuRawMs: number;
  /** The share of a core the idle server used just before (timers, pollers). */
  idleCpuShare: number;
  latencyMs: { p50: number; max: number };
  /** The slowest /healthz answer while this query ran. */
  healthzMaxMs: number;
}

export interface WorstQueryResult {
  size: string;
  limits: typeof LIMITS;
  runs: WorstQueryRun[];
  /** The accepted query with the most server CPU per request. */
  worst: { name: string; serverCpuMs: number; timesTrivial: number } | null;
  target: string;
  /** The reproduction of the alias attack was refused with QUERY_TOO_COMPLEX. */
  reproductionRefused: boolean;
}

interface Candidate {
  name: string;
  shape: string;
  token: string | null;
  /** The query for a size parameter n (aliases, page size, ...), with its variables. */
  make: (n: number) => { query: string; variables?: Record<string, unknown> };
  /** Largest n to try; the largest one within the limits is taken. */
  max: number;
  /** Sent as is, expected to be refused. */
  refused?: boolean;
}

const aliases = (n: number, body: (i: number) => string) => Array.from({ length: n }, (_, i) => `a${i}: ${body(i)}`).join("\n");

export async function runWorstQuery(opts: { manifest: DataManifest; requests: number; warmupRequests: number; log: (line: string) => void }): Promise<WorstQueryResult> {
  const { manifest, log } = opts;
  const schema = buildGraphQLSchema(null);
  const rules = [...specifiedRules, ...validationRules(schema, { ...LIMITS, introspection: true })];
  const cost = new QueryCost(schema, { maxCost: LIMITS.maxCost, maxPageSize: MAX_PAGE_SIZE, defaultPageSize: DEFAULT_PAGE_SIZE });
  const costOf = (doc: DocumentNode, variables?: Record<string, unknown>) => cost.of(doc, undefined, variables);
  /** Whether the server would run it: valid, and its cost with its variables within the limit. */
  const admitted = ({ query, variables }: { query: string; variables?: Record<string, unknown> }) => {
    try {
      const doc = parse(query, { maxTokens: LIMITS.maxTokens });
      return validate(schema, doc, rules).length === 0 && costOf(doc, variables) <= LIMITS.maxCost ? doc : null;
    } catch {
      return null;
    }
  };

  const server = await startAppServer({ file: manifest.file, env: { INTROSPECTION: "true", LOG_LEVEL: "error" } });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const url = new URL(server.url);
  const post = (body: unknown, token: string | null) =>
    new Promise<{ ms: number; status: number; text: string }>((resolvePost, reject) => {
      const data = Buffer.from(JSON.stringify(body));
      const t0 = process.hrtime.bigint();
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/graphql-response+json",
            "content-length": data.length,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (d: Buffer) => chunks.push(d));
          res.on("end", () => resolvePost({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        },
      );
      req.on("error", reject);
      req.end(data);
    });
  const healthz = () =>
    new Promise<number>((resolveGet, reject) => {
      const t0 = process.hrtime.bigint();
      const req = request({ agent, host: url.hostname, port: url.port, path: "/healthz", method: "GET" }, (res) => {
        res.resume();
        res.on("end", () => resolveGet(Number(process.hrtime.bigint() - t0) / 1e6));
      });
      req.on("error", reject);
      req.end();
    });

  try {
    const coordinator = await signToken(manifest.probes.coordinator);
    const volunteer = await signToken(manifest.probes.wideVolunteer);
    // Real ids for the `nodes` batches: a page of open requests the wide volunteer can see.
    const open = JSON.parse((await post({ query: `{ openHelpRequests(first: 100) { edges { node { id } } } }` }, volunteer)).text) as {
      data: { openHelpRequests: { edges: { node: { id: string } }[] } };
    };
    const ids = open.data.openHelpRequests.edges.map((e) => e.node.id);
    while (ids.length < 100 && ids.length > 0) ids.push(ids[ids.length % ids.length]);

    const reference = `id name municipality neighbourhoods { id name latitude longitude area { id name } } teams { id kind name }`;
    const candidates: Candidate[] = [
      { name: "trivial", shape: "`{ __typename }`, anonymous", token: null, make: () => ({ query: "{ __typename }" }), max: 1 },
      {
        name: "reproduction",
        shape: "30 aliases over teams { neighbourhoods { area { teams { … } } } }, anonymous (must be refused)",
        token: null,
        make: () => ({
          query: `{ ${aliases(30, () => "teams { id name kind neighbourhoods { id name latitude longitude area { id name municipality teams { id name kind neighbourhoods { id name area { id name teams { id name kind } } } } } } }")} }`,
        }),
        max: 1,
        refused: true,
      },
      {
        name: "aliases x reference lists",
        shape: "n aliases of areas { neighbourhoods { area } teams }, anonymous",
        token: null,
        make: (n) => ({ query: `{ ${aliases(n, () => `areas { ${reference} }`)} }` }),
        max: 30,
      },
      {
        name: "aliases x neighbourhoods",
        shape: "n aliases of neighbourhoods { area { teams } }, anonymous",
        token: null,
        make: (n) => ({ query: `{ ${aliases(n, () => "neighbourhoods { id name latitude longitude area { id name municipality teams { id kind name } } }")} }` }),
        max: 30,
      },
      {
        name: "page of requests with suggestions",
        shape: "openHelpRequests(first: n) with category, place, suggestedInitiatives(first: 5) and their organisation, a volunteer covering every neighbourhood",
        token: volunteer,
        make: (n) => ({
          query: `{ openHelpRequests(first: ${n}) { edges { cursor node { id title description urgency status createdAt windowStart windowEnd vogRequired askedOnBehalf
            category { id code name nameNl } neighbourhood { id name area { id name } } personHelped { id firstName }
            suggestedInitiatives(first: 5) { id title kind description organisation { id name verified } neighbourhood { name } } } } pageInfo { hasNextPage endCursor } } }`,
        }),
        max: 100,
      },
      {
        name: "connections in a connection",
        shape: "organisations(first: 100) { initiatives(first: n) { dates(first: 3) categories } }, anonymous",
        token: null,
        make: (n) => ({
          query: `{ organisations(first: 100) { edges { node { id name kind verified neighbourhood { name }
            initiatives(first: ${n}) { edges { node { id title kind status capacity placesTaken placesLeft neighbourhood { name } dates(first: 3) { startsAt endsAt } categories { code } } } } } } } }`,
        }),
        max: 100,
      },
      {
        name: "initiatives with their dates",
        shape: "initiatives(first: 100) { dates(first: n) }, anonymous",
        token: null,
        make: (n) => ({ query: `{ initiatives(first: 100) { edges { node { id title kind organisation { name } dates(first: ${n}) { startsAt endsAt } } } } }` }),
        max: 200,
      },
      {
        name: "nodes batches",
        shape: "n aliases of nodes(ids: 100 open requests) { … on HelpRequest { category neighbourhood personHelped history } }, a volunteer",
        token: volunteer,
        make: (n) => ({
          query: `query($ids: [ID!]!) { ${aliases(n, () => "nodes(ids: $ids) { id ... on HelpRequest { title description urgency status createdAt category { name } neighbourhood { name } personHelped { firstName } history { toStatus at } } }")} }`,
          variables: { ids },
        }),
        max: 30,
      },
      {
        name: "introspection (GraphiQL's)",
        shape: "the standard introspection query, anonymous",
        token: null,
        make: () => ({ query: getIntrospectionQuery() }),
        max: 1,
      },
      {
        name: "aliases x introspection",
        shape: "n aliases of __schema { types { fields { args type { ofType } } } }, anonymous",
        token: null,
        make: (n) => ({
          query: `{ ${aliases(n, () => "__schema { types { name kind description fields(includeDeprecated: true) { name description args { name type { name } } type { kind name ofType { kind name ofType { kind name } } } } } }")} }`,
        }),
        max: 30,
      },
      {
        name: "aliases x one type's introspection",
        shape: 'n aliases of __type(name: "Query") { fields { args type { fields { type } } } }, anonymous',
        token: null,
        make: (n) => ({ query: `{ ${aliases(n, () => `__type(name: "Query") { name fields { name args { name } type { name fields { name type { name } } } } }`)} }` }),
        max: 30,
      },
      {
        name: "coordinator's team queue",
        shape: "teamQueue(first: n) with case history and audit, a coordinator",
        token: coordinator,
        make: (n) => ({
          query: `{ teamQueue(teamId: "team_dordrecht-west-swt", first: ${n}) { edges { node { id trigger status urgency overdue leadTeam { name } coTeam { name }
            case { ageBand history { toStatus at } } audit { kind at actor { firstName } } consents { givenAt } } } } }`,
        }),
        max: 100,
      },
    ];

    // CPU time per query is what is compared, which other load disturbs less than latency: wait a minute at most.
    await waitForQuiet(log, 0.15, 60_000);
    const runs: WorstQueryRun[] = [];
    for (const c of candidates) {
      let n = c.max;
      if (!c.refused) {
        while (n > 0 && !admitted(c.make(n))) n--;
        if (n === 0) {
          log(`[worst-query] ${c.name}: no instance within the limits`);
          continue;
        }
      }
      const { query, variables } = c.make(n);
      const doc = parse(query);
      const tokens = countTokens(query);
      const first = await post({ query, variables }, c.token);
      const body = JSON.parse(first.text) as { data?: unknown; errors?: { extensions?: { reason?: string; code?: string } }[] };
      const outcome = body.errors?.length ? (body.errors[0].extensions?.reason ?? body.errors[0].extensions?.code ?? "error") : "ok";
      for (let i = 0; i < opts.warmupRequests; i++) await post({ query, variables }, c.token);
      // Server CPU per query, alone, less what the idle server spends meanwhile (its timers and
      // pollers, measured just before); then /healthz probed while the query runs again.
      const pid = server.proc.child.pid!;
      const idle0 = cpuSeconds(pid);
      const idleWall0 = performance.now();
      await new Promise((r) => setTimeout(r, 1000));
      const idleRate = (cpuSeconds(pid) - idle0) / ((performance.now() - idleWall0) / 1000);
      const latencies: number[] = [];
      const cpu0 = cpuSeconds(pid);
      const wall0 = performance.now();
      for (let i = 0; i < opts.requests; i++) latencies.push((await post({ query, variables }, c.token)).ms);
      const cpuRaw = cpuSeconds(pid) - cpu0;
      const cpu = Math.max(0, cpuRaw - idleRate * ((performance.now() - wall0) / 1000));
      let probing = true;
      let healthzMax = 0;
      const prober = (async () => {
        while (probing) {
          healthzMax = Math.max(healthzMax, await healthz().catch(() => Number.POSITIVE_INFINITY));
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      for (let i = 0; i < Math.min(3, opts.requests); i++) await post({ query, variables }, c.token);
      probing = false;
      await prober;
      const lat = summarise(latencies);
      const run: WorstQueryRun = {
        name: c.name,
        shape: c.shape.replace(/\bn\b/g, String(n)),
        cost: Math.ceil(costOf(doc, variables)),
        tokens,
        outcome,
        bytes: first.text.length,
        requests: opts.requests,
        serverCpuMs: round((cpu * 1000) / opts.requests, 1),
        serverCpuRawMs: round((cpuRaw * 1000) / opts.requests, 1),
        idleCpuShare: round(idleRate, 3),
        latencyMs: { p50: round(lat.p50, 1), max: round(lat.max, 1) },
        healthzMaxMs: round(healthzMax, 1),
      };
      log(
        `[worst-query] ${run.name}: ${run.outcome}, cost ${run.cost}, ${run.bytes} bytes, server CPU ${run.serverCpuMs} ms/query (${run.serverCpuRawMs} before taking off idle ${run.idleCpuShare}), p50 ${run.latencyMs.p50} ms, /healthz max ${run.healthzMaxMs} ms`,
      );
      runs.push(run);
    }
    const trivial = runs.find((r) => r.name === "trivial");
    const accepted = runs.filter((r) => r.outcome === "ok" && r.name !== "trivial");
    const worst = accepted.length ? accepted.reduce((a, b) => (b.serverCpuMs > a.serverCpuMs ? b : a)) : null;
    return {
      size: manifest.size,
      limits: LIMITS,
      runs,
      worst: worst ? { name: worst.name, serverCpuMs: worst.serverCpuMs, timesTrivial: trivial?.serverCpuMs ? round(worst.serverCpuMs / trivial.serverCpuMs, 1) : 0 } : null,
      target: "< 50 ms of server CPU per query",
      reproductionRefused: runs.some((r) => r.name === "reproduction" && r.outcome === "QUERY_TOO_COMPLEX"),
    };
  } finally {
    agent.destroy();
    await server.proc.stop();
  }
}

/** Lexical tokens of a document, as the parser's `maxTokens` counts them. */
function countTokens(query: string): number {
  let n = 0;
  try {
    parse(query, { maxTokens: Number.MAX_SAFE_INTEGER });
    // The parser counts tokens when asked for a limit: find the count by bisection over the limit.
    let lo = 1;
    let hi = 100_000;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      try {
        parse(query, { maxTokens: mid });
        hi = mid;
      } catch {
        lo = mid + 1;
      }
    }
    n = lo;
  } catch {
    n = -1;
  }
  return n;
}
