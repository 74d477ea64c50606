import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../support/backends.js";
import { type Account, askForHelp, buildCoordinator, buildPerson, buildVolunteer, window } from "../support/builders.js";
import { type TestApp, codeOf, collect, reasonOf, startTestApp } from "../support/test-app.js";

/**
 * Help that was matched is recorded: a matched request whose window ends does not expire; it asks the
 * volunteer and whoever asked whether the help happened, and either may answer.
 */
const ADVANCE = `mutation($h: Float!) { advanceClock(hours: $h) }`;
const SWEEP = `mutation { runSweeps { expiredRequests } }`;
const STATE = `query($id: ID!) { helpRequest(id: $id) { status outcomeDue history { fromStatus toStatus note actor { firstName } } } }`;
const ACCEPT = `mutation($id: ID!) { acceptHelpRequest(id: $id) { status outcomeDue } }`;
const CONFIRM = `mutation($id: ID!, $happened: Boolean!, $note: String) {
  confirmHelpRequestOutcome(id: $id, happened: $happened, note: $note) { status outcomeDue }
}`;

describe.each(backends())("the outcome of matched help on $name", (backend) => {
  let t: TestApp;
  /** Moves the clock and runs the sweeps: only a coordinator may. */
  let clockKeeper: Account;
  beforeAll(async () => {
    t = await startTestApp(backend, { CLOCK_CONTROL: "true" });
    clockKeeper = await buildCoordinator(t);
  });
  afterAll(async () => t?.close());

  const passWindow = async () => {
    expect((await t.gql(ADVANCE, { h: 4 }, clockKeeper.token)).errors).toBeUndefined();
    expect((await t.gql(SWEEP, {}, clockKeeper.token)).errors).toBeUndefined();
  };

  it("a MATCHED or IN_PROGRESS request whose window ends stays matched and asks for its outcome; only an OPEN one expires", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const open = await askForHelp(t, resident.token, window(t, 1, 2));
    const matched = await askForHelp(t, resident.token, window(t, 1, 2));
    const started = await askForHelp(t, resident.token, window(t, 1, 2));
    expect((await t.gql(ACCEPT, { id: matched.id }, volunteer.token)).data.acceptHelpRequest).toEqual({ status: "MATCHED", outcomeDue: false });
    await t.gql(ACCEPT, { id: started.id }, volunteer.token);
    await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: started.id }, volunteer.token);
    await passWindow();
    expect((await t.gql(STATE, { id: open.id }, resident.token)).data.helpRequest.status).toBe("EXPIRED");
    for (const [id, status] of [
      [matched.id, "MATCHED"],
      [started.id, "IN_PROGRESS"],
    ]) {
      for (const who of [resident, volunteer]) {
        const s = (await t.gql(STATE, { id }, who.token)).data.helpRequest;
        expect(s.status).toBe(status);
        expect(s.outcomeDue).toBe(true);
        expect(s.history.map((e: any) => e.toStatus)).not.toContain("EXPIRED");
      }
    }
    const asked = await t.gql(`{ myHelpRequests(relation: HELPING, statuses: [MATCHED, IN_PROGRESS]) { edges { node { id outcomeDue } } } }`, {}, volunteer.token);
    expect(asked.data.myHelpRequests.edges.map((e: any) => e.node)).toEqual(
      expect.arrayContaining([
        { id: matched.id, outcomeDue: true },
        { id: started.id, outcomeDue: true },
      ]),
    );
  });

  it("asks the volunteer and whoever asked once, live, when a matched request's window ends (helpRequestChanged kind OUTCOME_DUE)", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token, window(t, 1, 2));
    await t.gql(ACCEPT, { id: req.id }, volunteer.token);
    const FEED = `subscription($id: ID!) { helpRequestChanged(id: $id) { kind helpRequest { status outcomeDue } } }`;
    const feeds = [collect(t.ws(resident.token), FEED, { id: req.id }), collect(t.ws(volunteer.token), FEED, { id: req.id })];
    await new Promise((r) => setTimeout(r, 300));
    await passWindow();
    expect((await t.gql(SWEEP, {}, clockKeeper.token)).errors).toBeUndefined();
    for (const feed of feeds) {
      expect((await feed.next(5000)).data).toEqual({ helpRequestChanged: { kind: "OUTCOME_DUE", helpRequest: { status: "MATCHED", outcomeDue: true } } });
      expect(await feed.quiet(400)).toBe(true);
      expect(feed.items).toHaveLength(1);
    }
  });

  it("whoever asked confirms that matched help happened: DONE, with the usual history entry and helpRequestChanged event", async () => {
    const resident = await buildPerson(t, { firstName: "Riet" });
    const volunteer = await buildVolunteer(t, { firstName: "Mo" });
    const req = await askForHelp(t, resident.token, window(t, 1, 2));
    await t.gql(ACCEPT, { id: req.id }, volunteer.token);
    await passWindow();
    const feed = collect(t.ws(volunteer.token), `subscription($id: ID!) { helpRequestChanged(id: $id) { kind helpRequest { status } } }`, { id: req.id });
    await new Promise((r) => setTimeout(r, 200));
    const done = await t.gql(CONFIRM, { id: req.id, happened: true, note: "Dank je wel!" }, resident.token);
    expect(done.errors).toBeUndefined();
    expect(done.data.confirmHelpRequestOutcome).toEqual({ status: "DONE", outcomeDue: false });
    const event = await feed.next(5000);
    expect(event.data).toEqual({ helpRequestChanged: { kind: "DONE", helpRequest: { status: "DONE" } } });
    const h = (await t.gql(STATE, { id: req.id }, volunteer.token)).data.helpRequest.history;
    expect(h.at(-1)).toEqual({ fromStatus: "MATCHED", toStatus: "DONE", note: "Dank je wel!", actor: { firstName: "Riet" } });
    // Answered once: the other party cannot overturn it.
    const again = await t.gql(CONFIRM, { id: req.id, happened: false }, volunteer.token);
    expect(reasonOf(again)).toBe("HELP_REQUEST_WRONG_STATUS");
  });

  it("the volunteer confirms that matched help did not happen: EXPIRED, recorded with the volunteer as actor", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t, { firstName: "Mo" });
    const req = await askForHelp(t, resident.token, window(t, 1, 2));
    await t.gql(ACCEPT, { id: req.id }, volunteer.token);
    await t.gql(`mutation($id: ID!) { startHelpRequest(id: $id) { status } }`, { id: req.id }, volunteer.token);
    await passWindow();
    const r = await t.gql(CONFIRM, { id: req.id, happened: false, note: "Niemand thuis" }, volunteer.token);
    expect(r.data.confirmHelpRequestOutcome).toEqual({ status: "EXPIRED", outcomeDue: false });
    const h = (await t.gql(STATE, { id: req.id }, resident.token)).data.helpRequest.history;
    expect(h.at(-1)).toEqual({ fromStatus: "IN_PROGRESS", toStatus: "EXPIRED", note: "Niemand thuis", actor: { firstName: "Mo" } });
  });

  it("HELP_REQUEST_OUTCOME_NOT_DUE: the outcome is asked only after the window, of those involved", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const other = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token, window(t, 1, 2));
    await t.gql(ACCEPT, { id: req.id }, volunteer.token);
    const early = await t.gql(CONFIRM, { id: req.id, happened: false }, resident.token);
    expect(codeOf(early)).toBe("CONFLICT");
    expect(reasonOf(early)).toBe("HELP_REQUEST_OUTCOME_NOT_DUE");
    await passWindow();
    const stranger = await t.gql(CONFIRM, { id: req.id, happened: true }, other.token);
    expect(codeOf(stranger)).toBe("NOT_FOUND");
    const open = await askForHelp(t, resident.token, window(t, 1, 2));
    await passWindow();
    const expired = await t.gql(CONFIRM, { id: open.id, happened: true }, resident.token);
    expect(reasonOf(expired)).toBe("HELP_REQUEST_WRONG_STATUS");
  });

  it("whoever asked can complete a MATCHED request at once (help given before the volunteer pressed start)", async () => {
    const resident = await buildPerson(t);
    const volunteer = await buildVolunteer(t);
    const req = await askForHelp(t, resident.token);
    await t.gql(ACCEPT, { id: req.id }, volunteer.token);
    const r = await t.gql(`mutation($id: ID!) { completeHelpRequest(id: $id, note: "Al gedaan") { status } }`, { id: req.id }, resident.token);
    expect(r.errors).toBeUndefined();
    expect(r.data.completeHelpRequest.status).toBe("DONE");
  });
});
