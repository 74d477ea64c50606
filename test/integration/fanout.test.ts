import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { CAT, NB, askForHelp, buildCoordinator, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, attached, collect, metric as counter, startTestApp } from "../support/test-app.js";

const POSTED = `subscription { helpRequestPosted { cursor helpRequest { id title personHelped { firstName } neighbourhood { name } } } }`;
const POSTED_WITH_HISTORY = `subscription { helpRequestPosted { helpRequest { id history { toStatus } } } }`;
const POSTED_WITH_CONTACT = `subscription { helpRequestPosted { helpRequest { id contact { phone } } } }`;
const CHANGED = `subscription($id: ID!) { helpRequestChanged(id: $id) { kind helpRequest { id status contact { phone } } } }`;

describe.each(backends())("subscription fan-out on $name", (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => t?.close());

  const settle = () => new Promise((r) => setTimeout(r, 500));

  it("executes an event once for subscribers alike, yet each still gets exactly what their own rights allow", async () => {
    const resident = await buildPerson(t);
    const alike = await Promise.all(Array.from({ length: 12 }, () => buildVolunteer(t, { neighbourhoodIds: [NB.oudKrispijn], categoryIds: [CAT.groceries] })));
    const coordinator = await buildCoordinator(t);
    const granted = await t.gql(`mutation($id: ID!) { grantRole(personId: $id, role: VOLUNTEER) }`, { id: coordinator.id }, coordinator.token);
    expect(granted.errors).toBeUndefined();
    const profiled = await t.gql(
      `mutation($input: VolunteerProfileInput!) { updateVolunteerProfile(input: $input) { vogStatus } }`,
      { input: { categoryIds: [CAT.groceries], neighbourhoodIds: [NB.oudKrispijn], languages: ["nl"], availability: [] } },
      coordinator.token,
    );
    expect(profiled.errors).toBeUndefined();
    const alikeSubs = alike.map((v) => collect(t.ws(v.token), POSTED));
    const historyAsVolunteer = collect(t.ws(alike[0].token), POSTED_WITH_HISTORY);
    const historyAsCoordinator = collect(t.ws(coordinator.token), POSTED_WITH_HISTORY);
    const contactAsVolunteer = collect(t.ws(alike[1].token), POSTED_WITH_CONTACT);
    await settle();
    const before = { delivered: await counter(t, "zorgzaam_subscription_messages_total"), executed: await counter(t, "zorgzaam_subscription_executions_total") };

    const req = await askForHelp(t, resident.token, { neighbourhoodId: NB.oudKrispijn, categoryId: CAT.groceries, title: "Samen gedeeld" });
    const received = await Promise.all(alikeSubs.map((s) => s.next(5000)));
    for (const r of received) {
      expect(r).toEqual(received[0]);
      expect(r.data.helpRequestPosted.helpRequest).toEqual({ id: req.id, title: "Samen gedeeld", personHelped: { firstName: "Test" }, neighbourhood: { name: "Oud-Krispijn" } });
    }
    // The same document, other rights: the history only for the coordinator, contact details for nobody.
    const asVolunteer = await historyAsVolunteer.next(5000);
    expect(asVolunteer.data).toBeNull();
    expect(asVolunteer.errors?.[0].extensions?.reason).toBe("HISTORY_HIDDEN");
    const asCoordinator = await historyAsCoordinator.next(5000);
    expect(asCoordinator.errors).toBeUndefined();
    expect(asCoordinator.data.helpRequestPosted.helpRequest.history.map((h: { toStatus: string }) => h.toStatus)).toEqual(["OPEN"]);
    const contact = await contactAsVolunteer.next(5000);
    expect(contact.errors?.[0].extensions?.reason).toBe("CONTACT_DETAILS_HIDDEN");

    const delivered = (await counter(t, "zorgzaam_subscription_messages_total")) - before.delivered;
    const executed = (await counter(t, "zorgzaam_subscription_executions_total")) - before.executed;
    expect(delivered).toBe(15);
    // One execution for the twelve alike, one per other document and class: four in all.
    expect(executed).toBe(4);
  });

  it("keeps personal subscribers apart: the requester and the matched volunteer see contact details, each executed alone", async () => {
    const resident = await buildPerson(t, { phone: "0612345678" });
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    const forResident = collect(t.ws(resident.token), CHANGED, { id: req.id });
    const forVolunteer = collect(t.ws(volunteer.token), CHANGED, { id: req.id });
    const first = await forVolunteer.next(5000);
    expect(first.errors?.[0].extensions?.reason).toBe("HISTORY_HIDDEN");
    await settle();
    await t.gql(`mutation($id: ID!) { acceptHelpRequest(id: $id) { id } }`, { id: req.id }, volunteer.token);
    const got = await forResident.next(5000);
    expect(got.data.helpRequestChanged).toEqual({ kind: "MATCHED", helpRequest: { id: req.id, status: "MATCHED", contact: { phone: "0612345678" } } });
    const followed = collect(t.ws(volunteer.token), CHANGED, { id: req.id });
    await settle();
    await t.gql(`mutation($id: ID!, $note: String) { releaseHelpRequest(id: $id, note: $note) { id } }`, { id: req.id, note: "Toch niet" }, volunteer.token);
    // Released: the resident still sees the contact details; the volunteer is no longer involved and hears nothing.
    const back = await forResident.next(5000);
    expect(back.data.helpRequestChanged).toEqual({ kind: "OPEN", helpRequest: { id: req.id, status: "OPEN", contact: { phone: "0612345678" } } });
    expect(await followed.quiet(400)).toBe(true);
    expect(followed.items).toHaveLength(0);
  });

  it("stops writing to a subscriber who completes, and follows a topic again when a new one arrives", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t, { neighbourhoodIds: [NB.wielwijk], categoryIds: [CAT.groceries] });
    const base = await counter(t, "zorgzaam_subscriptions_attached");
    const client = t.ws(volunteer.token);
    const first = collect(client, POSTED);
    await attached(t, base + 1);
    await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, categoryId: CAT.groceries, title: "Eerste" });
    expect((await first.next(5000)).data.helpRequestPosted.helpRequest.title).toBe("Eerste");
    first.unsubscribe();
    await attached(t, base);
    await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, categoryId: CAT.groceries, title: "Niet meer" });
    expect(await first.quiet(400)).toBe(true);
    const again = collect(client, POSTED);
    await attached(t, base + 1);
    await askForHelp(t, resident.token, { neighbourhoodId: NB.wielwijk, categoryId: CAT.groceries, title: "Weer" });
    expect((await again.next(5000)).data.helpRequestPosted.helpRequest.title).toBe("Weer");
    expect(first.items).toHaveLength(1);
  });
});
