import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "../support/backends.js";
import { type Account, CAT, NB, buildCoordinator, buildPerson, buildVolunteer, window } from "../support/builders.js";
import { type Mailbox, type Received, startMailbox, expectNoSecrets } from "../support/mailbox.js";
import { type TestApp, startTestApp } from "../support/test-app.js";

const APP_URL = "https://app.zorgzaam.example";
const PREFERENCES = `mutation($input: UpdateNotificationPreferencesInput!) { updateNotificationPreferences(input: $input) { language } }`;
const MINE = `{ myNotifications(first: 100) { edges { node { kind status aboutId link } } } }`;
const POST = `mutation($input: PostOfferInput!) { postOffer(input: $input) { id listingId } }`;
const ASK = `mutation($input: AskFromOfferInput!) { askFromOffer(input: $input) { id status } }`;
const ACCEPT = `mutation($id: ID!) { acceptOfferAsk(id: $id) { id status } }`;
const DECLINE = `mutation($id: ID!) { declineOfferAsk(id: $id) { id status } }`;

/** What an ask's messages may never carry: its title and text, who asked, their phone. */
const SECRETS = ["Geheime titel", "Melk en brood", "Rianne", "Sanne", "06 1234 5678"];

const offerInput = {
  title: "Boodschappen op dinsdagochtend",
  description: "Ik doe boodschappen in Wielwijk",
  categoryIds: [CAT.groceries],
  neighbourhoodIds: [NB.wielwijk],
  availability: [{ weekday: 2, from: "09:00", to: "12:00" }],
  languages: ["nl", "en"],
};

const expectClean = (messages: Received[]) => expectNoSecrets(messages, SECRETS);

describe.each(backends())("notifications of asks made from offers on $name", (backend: Backend) => {
  let t: TestApp;
  let box: Mailbox;
  let coordinator: Account;

  beforeAll(async () => {
    box = await startMailbox();
    t = await startTestApp(backend, { SMTP_URL: box.url, CLOCK_CONTROL: "true", APP_URL });
    coordinator = await buildCoordinator(t);
  });
  afterAll(async () => {
    await t?.close();
    await box?.close();
  });

  const got = (who: Account, askId: string): Received[] => box.to(who.email).filter((m) => m.mail.text?.includes(`${APP_URL}/offer-asks/${askId}`));

  async function settle(): Promise<void> {
    for (let i = 0; i < 2; i++) expect((await t.gql(`mutation { runSweeps { expiredRequests } }`, {}, coordinator.token)).errors).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
  }

  async function kinds(who: Account): Promise<{ kind: string; status: string; aboutId: string; link: string }[]> {
    const r = await t.gql(MINE, {}, who.token);
    expect(r.errors).toBeUndefined();
    return r.data.myNotifications.edges.map((e: { node: { kind: string; status: string; aboutId: string; link: string } }) => e.node);
  }

  async function ask(who: Account, listingId: string): Promise<string> {
    const r = await t.gql(ASK, { input: { listingId, title: "Geheime titel", description: "Melk en brood graag", ...window(t, 24, 48) } }, who.token);
    expect(r.errors).toBeUndefined();
    return r.data.askFromOffer.id as string;
  }

  it("an ask reaches the volunteer who offers, once, in their language and without who asked; the answer reaches whoever asked, once, in theirs; nobody else, and never the actor", async () => {
    const volunteer = await buildVolunteer(t, { firstName: "Volkert" });
    const otherVolunteer = await buildVolunteer(t, { firstName: "Olga" });
    expect((await t.gql(PREFERENCES, { input: { language: "EN" } }, volunteer.token)).errors).toBeUndefined();
    const offer = (await t.gql(POST, { input: offerInput }, volunteer.token)).data.postOffer as { id: string; listingId: string };
    expect((await t.gql(POST, { input: offerInput }, otherVolunteer.token)).errors).toBeUndefined();
    const rianne = await buildPerson(t, { firstName: "Rianne", neighbourhoodId: NB.wielwijk, phone: "06 1234 5678" });
    const sanne = await buildPerson(t, { firstName: "Sanne", neighbourhoodId: NB.wielwijk });
    const bystander = await buildPerson(t, { firstName: "Bert", neighbourhoodId: NB.wielwijk });

    const first = await ask(rianne, offer.listingId);
    const second = await ask(sanne, offer.listingId);
    await settle();
    await box.waitFor(() => got(volunteer, first).length >= 1 && got(volunteer, second).length >= 1, 10_000, "the asks reach the volunteer");
    await settle();
    const asked = got(volunteer, first);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.mail.subject).toBe("Someone asked from your offer");
    expect(asked[0]!.mail.text).toContain("from your offer");
    expect(got(volunteer, second)).toHaveLength(1);
    // Who asked hears nothing of their own ask, nor does the other volunteer or a bystander.
    for (const who of [rianne, sanne, otherVolunteer, bystander]) expect(got(who, first).concat(got(who, second))).toEqual([]);
    expect((await kinds(volunteer)).filter((n) => n.kind === "OFFER_ASKED")).toHaveLength(2);
    expect((await kinds(volunteer)).find((n) => n.aboutId === first)).toMatchObject({ kind: "OFFER_ASKED", status: "SENT", link: `${APP_URL}/offer-asks/${first}` });

    expect((await t.gql(ACCEPT, { id: first }, volunteer.token)).errors).toBeUndefined();
    expect((await t.gql(DECLINE, { id: second }, volunteer.token)).errors).toBeUndefined();
    await settle();
    await box.waitFor(() => got(rianne, first).length >= 1 && got(sanne, second).length >= 1, 10_000, "the answers reach whoever asked");
    await settle();
    const accepted = got(rianne, first);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.mail.subject).toBe("Je vraag is aangenomen");
    const declined = got(sanne, second);
    expect(declined).toHaveLength(1);
    expect(declined[0]!.mail.subject).toBe("Je vraag is afgewezen");
    // The volunteer answered: they hear nothing more of either ask; the one asker not of the other's ask.
    expect(got(volunteer, first)).toHaveLength(1);
    expect(got(volunteer, second)).toHaveLength(1);
    expect(got(rianne, second)).toEqual([]);
    expect(got(sanne, first)).toEqual([]);
    for (const who of [otherVolunteer, bystander]) expect(got(who, first).concat(got(who, second))).toEqual([]);
    expect((await kinds(rianne)).filter((n) => n.kind === "OFFER_ASK_ANSWERED")).toMatchObject([{ status: "SENT", aboutId: first }]);
    // Accepting makes a MATCHED help request; whoever asked hears of it once, by the answer, not twice.
    expect((await kinds(rianne)).map((n) => n.kind)).toEqual(["OFFER_ASK_ANSWERED"]);
    expectClean([...got(volunteer, first), ...got(volunteer, second)]);
    expectClean(
      [...accepted, ...declined].map((m) => ({ ...m, mail: { ...m.mail, text: m.mail.text?.replace(/^(Hallo|Beste) (Rianne|Sanne),/, "") ?? "", html: "" } }) as Received),
    );
  });

  it("an ask answered before it is decided is not told to the volunteer any more", async () => {
    const volunteer = await buildVolunteer(t, { firstName: "Vince" });
    const offer = (await t.gql(POST, { input: offerInput }, volunteer.token)).data.postOffer as { id: string; listingId: string };
    const resident = await buildPerson(t, { firstName: "Rianne", neighbourhoodId: NB.wielwijk });
    const id = await ask(resident, offer.listingId);
    expect((await t.gql(DECLINE, { id }, volunteer.token)).errors).toBeUndefined();
    await settle();
    await box.waitFor(() => got(resident, id).length >= 1, 10_000, "the answer reaches whoever asked");
    await settle();
    expect(got(volunteer, id)).toEqual([]);
    // Where events travel at once (PostgreSQL with Redis) the ask may be decided before the decline:
    // it is then kept in the volunteer's log as SKIPPED, never sent. Either way nothing was told.
    expect((await kinds(volunteer)).filter((n) => n.kind === "OFFER_ASKED" && n.status !== "SKIPPED")).toEqual([]);
    expect(got(resident, id)).toHaveLength(1);
  });
});
