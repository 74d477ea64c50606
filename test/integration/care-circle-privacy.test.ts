import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, HOUR } from "../support/builders.js";
import { ADD_TASK, CLAIM, buildCircle, localSlot, shiftsOf } from "../support/care-circle.js";
import { type TestApp, codeOf, collect, reasonOf, startTestApp } from "../support/test-app.js";

const CHECK_IN = `mutation($c: ID!, $s: Strain!, $n: String) { careCheckIn(circleId: $c, strain: $s, note: $n) }`;
const LOAD_FIELDS = `load { person { id } latestStrain intensive signals { reason } weeks { hours } }`;
const LOAD = `query($c: ID!) { careCircle(id: $c) { ${LOAD_FIELDS} } }`;
const SHARE = `mutation($c: ID!, $s: Boolean!) { shareCareLoad(circleId: $c, share: $s) }`;

describe.each(backends())("privacy inside a care circle on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const loadOf = async (circleId: string, token: string) => (await t.gql(LOAD, { c: circleId }, token)).data?.careCircle?.load as any[] | undefined;
  const entry = (load: any[] | undefined, personId: string) => load?.find((l) => l.person.id === personId);

  it("each member sees their own strain; a relative sees no one else's load through careCircle, node or nodes", async () => {
    const { circleId, members } = await buildCircle(t, 2);
    const [anna, bert] = members;
    expect((await t.gql(CHECK_IN, { c: circleId, s: "HIGH", n: "Ik slaap slecht" }, anna.token)).data.careCheckIn).toBe(true);
    await t.gql(CHECK_IN, { c: circleId, s: "LOW" }, bert.token);

    const own = await loadOf(circleId, anna.token);
    expect(own?.map((l) => l.person.id)).toEqual([anna.id]);
    expect(own?.[0]).toMatchObject({ latestStrain: "HIGH", signals: [{ reason: "HIGH_STRAIN" }] });
    expect((await loadOf(circleId, bert.token))?.map((l) => [l.person.id, l.latestStrain])).toEqual([[bert.id, "LOW"]]);

    const viaNode = await t.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on CareCircle { ${LOAD_FIELDS} } } }`, { ids: [circleId] }, bert.token);
    expect(viaNode.data.nodes[0].load.map((l: any) => l.person.id)).toEqual([bert.id]);
    const single = await t.gql(`query($id: ID!) { node(id: $id) { ... on CareCircle { ${LOAD_FIELDS} } } }`, { id: circleId }, bert.token);
    expect(JSON.stringify(single.data)).not.toContain("HIGH");
  });

  it("the coordinator sees that a member raised a signal, not the answer behind it, until the member shares it; sharing is undone", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 2);
    const [anna, bert] = members;
    await t.gql(CHECK_IN, { c: circleId, s: "HIGH", n: "Het wordt me te veel" }, anna.token);
    await t.gql(CHECK_IN, { c: circleId, s: "MODERATE" }, bert.token);
    const seen = await loadOf(circleId, coordinator.token);
    expect(seen?.map((l) => l.person.id).sort()).toEqual([coordinator.id, anna.id, bert.id].sort());
    expect(entry(seen, anna.id)).toMatchObject({ latestStrain: null, signals: [{ reason: "HIGH_STRAIN" }] });
    expect(entry(seen, bert.id)).toMatchObject({ latestStrain: null, signals: [] });

    expect((await t.gql(SHARE, { c: circleId, s: true }, anna.token)).data.shareCareLoad).toBe(true);
    expect((await t.gql(`query($c: ID!) { careCircle(id: $c) { myLoadShared } }`, { c: circleId }, anna.token)).data.careCircle.myLoadShared).toBe(true);
    expect(entry(await loadOf(circleId, coordinator.token), anna.id).latestStrain).toBe("HIGH");
    expect(entry(await loadOf(circleId, coordinator.token), bert.id).latestStrain).toBeNull();
    // Shared with the coordinators, not with the other relatives.
    expect(entry(await loadOf(circleId, bert.token), anna.id)).toBeUndefined();

    await t.gql(SHARE, { c: circleId, s: false }, anna.token);
    expect(entry(await loadOf(circleId, coordinator.token), anna.id).latestStrain).toBeNull();
  });

  it("a second coordinator sees signals like the first; a member demoted again loses the others' load", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 2);
    const [anna, bert] = members;
    await t.gql(CHECK_IN, { c: circleId, s: "HIGH" }, bert.token);
    const ROLE = `mutation($c: ID!, $p: ID!, $r: CircleRole!) { setCareCircleRole(circleId: $c, personId: $p, role: $r) { id } }`;
    await t.gql(ROLE, { c: circleId, p: anna.id, r: "COORDINATOR" }, coordinator.token);
    expect(entry(await loadOf(circleId, anna.token), bert.id)).toMatchObject({ latestStrain: null, signals: [{ reason: "HIGH_STRAIN" }] });
    await t.gql(ROLE, { c: circleId, p: anna.id, r: "MEMBER" }, coordinator.token);
    expect((await loadOf(circleId, anna.token))?.map((l) => l.person.id)).toEqual([anna.id]);
  });

  it("the live feed tells coordinators that a signal was raised, with only what their query shows; plain members hear nothing of it", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 2);
    const [anna, bert] = members;
    const query = `subscription($c: ID!) { careCircleChanged(circleId: $c) { kind circle { ${LOAD_FIELDS} } } }`;
    const lead = collect(t.ws(coordinator.token), query, { c: circleId });
    const plain = collect(t.ws(bert.token), query, { c: circleId });
    await new Promise((r) => setTimeout(r, 300));
    await t.gql(CHECK_IN, { c: circleId, s: "HIGH", n: "Zwaar" }, anna.token);
    const got = (await lead.next(3000)).data.careCircleChanged;
    expect(got.kind).toBe("LOAD_SIGNAL");
    expect(entry(got.circle.load, anna.id)).toMatchObject({ latestStrain: null, signals: [{ reason: "HIGH_STRAIN" }] });
    expect(JSON.stringify(got)).not.toContain('"HIGH"');
    expect(await plain.next(1500).catch(() => null)).toBeNull();
  });

  it("NOT_FOUND for a member of another circle and anonymous; an export holds only the person's own check-ins", async () => {
    const { circleId, members } = await buildCircle(t, 1);
    const other = await buildCircle(t, 1, "Kees");
    await t.gql(CHECK_IN, { c: circleId, s: "HIGH", n: "Geheime zorg" }, members[0].token);
    expect(reasonOf(await t.gql(LOAD, { c: circleId }, other.coordinator.token))).toBe("CARE_CIRCLE_NOT_FOUND");
    expect((await t.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: circleId }, other.members[0].token)).data.node).toBeNull();
    expect(codeOf(await t.gql(LOAD, { c: circleId }))).toBe("UNAUTHENTICATED");
    expect(reasonOf(await t.gql(SHARE, { c: circleId, s: true }, other.members[0].token))).toBe("CARE_CIRCLE_NOT_FOUND");

    expect(JSON.stringify(await exportCare(t, other.coordinator.id))).not.toContain("Geheime zorg");
    const mine = await exportCare(t, members[0].id);
    expect(JSON.stringify(mine)).toContain("Geheime zorg");
  });

  it("over weeks of care the coordinator learns a relative's care is intensive, never their answers", async () => {
    const { circleId, coordinator, members } = await buildCircle(t, 1);
    const [anna] = members;
    const slot = localSlot(t, 26);
    // Three hours on three days a week: nine hours a week, over SCP's eight.
    await t.gql(ADD_TASK, { c: circleId, i: { title: "Verzorging", categoryId: CAT.company, ...slot, durationMinutes: 180, weekdays: [1, 3, 5] } }, coordinator.token);
    for (let week = 0; week < 15; week++) {
      for (const s of (await shiftsOf(t, circleId, anna.token)).filter((s: any) => s.status === "OPEN")) await t.gql(CLAIM, { id: s.id }, anna.token);
      await t.gql(CHECK_IN, { c: circleId, s: week % 2 ? "HIGH" : "MODERATE", n: `week ${week}` }, anna.token);
      t.clock.advance(7 * 24 * HOUR);
      await t.app.services.sweeps.run();
    }
    const seen = entry(await loadOf(circleId, coordinator.token), anna.id);
    expect(seen.intensive).toBe(true);
    expect(seen.signals.map((s: any) => s.reason)).toContain("INTENSIVE_HOURS");
    expect(seen.latestStrain).toBeNull();
    expect(entry(await loadOf(circleId, anna.token), anna.id).latestStrain).not.toBeNull();
    t.clock.advance(-15 * 7 * 24 * HOUR);
  }, 180_000);
});

async function exportCare(t: TestApp, personId: string) {
  const { careExporter } = await import("../../src/modules/care/care.export.js");
  return careExporter(t.app.services.db as any).export(personId);
}
