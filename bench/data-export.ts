/**
 * A heavy user's data export: a mantelzorger who has run a care circle for two years (three shifts a
 * day held by her, a weekly check-in, load signals, help requests with their history, notifications,
 * reads of her data) among thirty other circles as busy as hers. Measured through the real server:
 * from `requestDataExport` until the job reads READY (every module's exporter, JSON, gzip, one update),
 * and the download of the file.
 *
 *   npx tsx bench/data-export.ts [--repeat 5] [--database postgres://...]   (default: a fresh SQLite file)
 *
 * Writes bench/results/data-export.json and bench/results/data-export.md. Target: under 2 s.
 */
import "reflect-metadata";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config/env.js";
import { seedReferenceData } from "../seeds/seed-runner.js";
import { BENCH_DIR } from "./generate.js";
import { Prng } from "./lib/prng.js";

const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const repeat = Number(arg("--repeat") ?? 5);
const DAY = 24 * 3600_000;
const DAYS = 730;
const OTHER_CIRCLES = 30;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "zorgzaam-bench-export-"));
  const databaseUrl = arg("--database") ?? join(dir, "bench.sqlite");
  const app = await createApp(
    loadConfig({
      NODE_ENV: "test",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      JWT_SECRET: "bench-secret-that-is-long-enough-for-hs256",
      SEED_ON_EMPTY: "false",
      SWEEP_INTERVAL_MS: "0",
      LOG_LEVEL: "warn",
    }),
  );
  await seedReferenceData(app.services);
  const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
    // The loading below leaves the kept-alive connection idle past the server's keep-alive timeout: retry once on a reset.
    const post = () =>
      fetch(app.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
    const res = await post().catch(post);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers are read by shape, as in the tests
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const register = async (firstName: string) =>
    (
      await gql(`mutation($input: RegisterInput!) { register(input: $input) { token me { person { id } } } }`, {
        input: {
          email: `${firstName.toLowerCase()}-${Date.now()}@bench.example`,
          password: "correct horse battery",
          firstName,
          lastName: "Bench",
          neighbourhoodId: "nb_dordrecht-wielwijk",
          roles: ["MANTELZORGER"],
        },
      })
    ).register;

  // The heavy user and thirty others like her, each with a circle.
  const heavy = await register("Hanneke");
  const others = [];
  for (let i = 0; i < OTHER_CIRCLES; i++) others.push(await register(`Other${i}`));
  const circleOf = async (token: string) =>
    (
      await gql(
        `mutation($input: CreateCareCircleInput!) { createCareCircle(input: $input) { id } }`,
        { input: { name: "Zorg", careReceiver: { firstName: "Moeder", neighbourhoodId: "nb_dordrecht-wielwijk" } } },
        token,
      )
    ).createCareCircle.id as string;
  const circles = [{ personId: heavy.me.person.id as string, circleId: await circleOf(heavy.token) }];
  for (const o of others) circles.push({ personId: o.me.person.id, circleId: await circleOf(o.token) });

  // Two years of history, written straight into the tables (the API makes it one day at a time).
  const s = app.services;
  const t = s.db.tables;
  const r = new Prng("zorgzaam-bench:data-export");
  const start = Date.now() - DAYS * DAY;
  const counts = { shifts: 0, checkins: 0, signals: 0, requests: 0, requestEvents: 0, deliveries: 0, accessLog: 0 };
  const insert = async (table: (typeof t)[keyof typeof t], rows: Record<string, unknown>[]) => {
    for (let i = 0; i < rows.length; i += 400) {
      const chunk = rows.slice(i, i + 400);
      await s.db.transaction(async (tx) => {
        await tx.insert(table).values(chunk as never);
      });
    }
  };
  for (const [n, { personId, circleId }] of circles.entries()) {
    const tasks = ["Medicijnen", "Boodschappen", "Avondeten"].map((title, k) => ({
      id: `task_bench${n}_${k}`,
      circleId,
      title,
      categoryId: "cat_groceries",
      notes: null,
      vogRequired: false,
      startDate: new Date(start).toISOString().slice(0, 10),
      startTime: `${9 + k * 4}:00`.padStart(5, "0"),
      durationMinutes: 60,
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      intervalWeeks: 1,
      endDate: null,
      active: true,
      createdAt: new Date(start),
      updatedAt: new Date(start),
    }));
    await insert(t.careTasks, tasks);
    const shifts = [];
    for (let d = 0; d < DAYS; d++) {
      for (const [k, task] of tasks.entries()) {
        const at = start + d * DAY + (9 + k * 4) * 3600_000;
        shifts.push({
          id: `shift_bench${n}_${d}_${k}`,
          taskId: task.id,
          circleId,
          occurrence: new Date(at).toISOString().slice(0, 10),
          startsAt: new Date(at),
          endsAt: new Date(at + 3600_000),
          status: r.chance(0.97) ? "DONE" : "MISSED",
          title: null,
          notes: r.chance(0.1) ? "Pillen in de keukenla" : null,
          assigneeId: personId,
          flagged: false,
          coverRequested: false,
          helpRequestId: null,
          updatedAt: new Date(at),
        });
      }
    }
    await insert(t.careShifts, shifts);
    counts.shifts += shifts.length;
    const checkins = Array.from({ length: DAYS / 7 }, (_, w) => ({
      id: `chk_bench${n}_${w}`,
      circleId,
      personId,
      strain: r.pick(["LOW", "MODERATE", "HIGH"] as const),
      note: "Gaat wel",
      at: new Date(start + w * 7 * DAY),
    }));
    await insert(t.careCheckins, checkins);
    counts.checkins += checkins.length;
    const signals = Array.from({ length: 12 }, (_, m) => ({
      id: `load_bench${n}_${m}`,
      circleId,
      personId,
      reason: "INTENSIVE_HOURS",
      detail: "21 uur per week",
      since: new Date(start + m * 60 * DAY),
      lastSeenAt: new Date(start + m * 60 * DAY + 20 * DAY),
      resolvedAt: new Date(start + m * 60 * DAY + 30 * DAY),
    }));
    await insert(t.careLoadSignals, signals);
    counts.signals += signals.length;
    const requests = Array.from({ length: 100 }, (_, q) => {
      const at = start + q * 7 * DAY;
      return {
        id: `hr_bench${n}_${q}`,
        personHelpedId: personId,
        askedById: personId,
        categoryId: "cat_groceries",
        neighbourhoodId: "nb_dordrecht-wielwijk",
        title: "Respijt",
        description: "Even een middag vrij",
        urgency: "NORMAL",
        vogRequired: false,
        windowStart: new Date(at + DAY),
        windowEnd: new Date(at + 2 * DAY),
        status: "DONE",
        releaseCount: 0,
        createdAt: new Date(at),
        updatedAt: new Date(at + 2 * DAY),
      };
    });
    await insert(t.helpRequests, requests);
    counts.requests += requests.length;
    const events = requests.flatMap((q, e) =>
      (["OPEN", "MATCHED", "DONE"] as const).map((to, k) => ({
        id: `hre_bench${n}_${e}_${k}`,
        helpRequestId: q.id,
        fromStatus: k ? (["OPEN", "MATCHED"] as const)[k - 1] : null,
        toStatus: to,
        actorId: personId,
        note: null,
        at: new Date(q.createdAt.getTime() + k * 3600_000),
      })),
    );
    await insert(t.helpRequestEvents, events);
    counts.requestEvents += events.length;
    const deliveries = Array.from({ length: 1500 }, (_, k) => ({
      id: `ntf_bench${n}_${k}`,
      eventSeq: n * 10_000 + k,
      recipientId: personId,
      channel: "EMAIL",
      kind: "HELP_REQUEST_DONE",
      subjectId: requests[k % requests.length].id,
      params: {},
      urgent: false,
      status: "SENT",
      attempts: 1,
      nextAttemptAt: new Date(start + k * 12 * 3600_000),
      createdAt: new Date(start + k * 12 * 3600_000),
      sentAt: new Date(start + k * 12 * 3600_000),
      updatedAt: new Date(start + k * 12 * 3600_000),
    }));
    await insert(t.notificationDeliveries, deliveries);
    counts.deliveries += deliveries.length;
    const reads = Array.from({ length: 300 }, (_, k) => ({
      id: `acl_bench${n}_${k}`,
      readerId: circles[(n + 1) % circles.length].personId,
      subjectId: personId,
      fields: ["fullName", "address", "phone"],
      purpose: "matched volunteer",
      objectId: requests[k % requests.length].id,
      at: new Date(start + k * 2 * DAY),
    }));
    await insert(t.accessLog, reads);
    counts.accessLog += reads.length;
  }

  const runs: { readyMs: number; downloadMs: number; bytes: number }[] = [];
  for (let i = 0; i < repeat; i++) {
    const began = performance.now();
    const job = (await gql(`mutation { requestDataExport { id status } }`, {}, heavy.token)).requestDataExport;
    let current = job;
    while (current.status === "RUNNING") {
      await new Promise((done) => setTimeout(done, 5));
      current = (await gql(`query($id: ID!) { dataExport(id: $id) { id status downloadUrl } }`, { id: job.id }, heavy.token)).dataExport;
    }
    const readyMs = performance.now() - began;
    if (current.status !== "READY") throw new Error(`export ended ${current.status}`);
    const fetched = performance.now();
    const res = await fetch(new URL(current.downloadUrl, app.url));
    const body = await res.arrayBuffer();
    runs.push({ readyMs, downloadMs: performance.now() - fetched, bytes: body.byteLength });
  }
  await app.close();
  rmSync(dir, { recursive: true, force: true });

  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)];
  const result = {
    backend: databaseUrl.startsWith("postgres") ? "postgres" : "sqlite",
    heavyUser: { shifts: DAYS * 3, checkins: Math.floor(DAYS / 7), loadSignals: 12, helpRequests: 100, requestEvents: 300, deliveries: 1500, accessLogEntries: 300 },
    database: counts,
    runs,
    readyMs: { median: median(runs.map((x) => x.readyMs)), max: Math.max(...runs.map((x) => x.readyMs)) },
    downloadMs: { median: median(runs.map((x) => x.downloadMs)), max: Math.max(...runs.map((x) => x.downloadMs)) },
    bytes: runs[0].bytes,
    at: new Date().toISOString(),
  };
  const out = join(BENCH_DIR, "results");
  writeFileSync(join(out, `data-export-${result.backend}.json`), JSON.stringify(result, null, 2) + "\n");
  const md = [
    `# Data export of a heavy user (${result.backend})`,
    "",
    "`npx tsx bench/data-export.ts` (see the script's header). A mantelzorger with two years of shifts (three a day), among thirty circles like hers.",
    "",
    "| | median | max |",
    "| --- | --- | --- |",
    `| requestDataExport until READY | ${result.readyMs.median.toFixed(0)} ms | ${result.readyMs.max.toFixed(0)} ms |`,
    `| download of the file | ${result.downloadMs.median.toFixed(0)} ms | ${result.downloadMs.max.toFixed(0)} ms |`,
    "",
    `File: ${(result.bytes / 1024).toFixed(0)} KiB of JSON. Her rows: ${Object.entries(result.heavyUser)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ")}. In the database: ${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ")}. ${repeat} runs.`,
    "",
  ].join("\n");
  writeFileSync(join(out, `data-export-${result.backend}.md`), md);
  console.log(md);
}

await main();
