import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { askForHelp, buildPerson, buildVolunteer } from "../support/builders.js";
import { type TestApp, collect, startTestApp } from "../support/test-app.js";

const redisUrl = process.env.TEST_REDIS_URL;
const POSTED = `subscription { helpRequestPosted { helpRequest { id } } }`;
const settle = () => new Promise((r) => setTimeout(r, 400));

/**
 * Redis pub/sub channels belong to the whole Redis server, whatever database number a client selects:
 * deployments sharing one Redis must announce and listen on channels of their own.
 */
describe.skipIf(!redisUrl)("Redis channels of deployments sharing one Redis", () => {
  const apps: TestApp[] = [];
  const spies: Redis[] = [];
  afterAll(async () => {
    for (const s of spies) s.disconnect();
    await Promise.all(apps.map((a) => a.close()));
  });

  /** Every announcement of a posted request on this Redis, as channel and message. */
  const spy = async () => {
    const redis = new Redis(redisUrl!);
    spies.push(redis);
    const heard: { channel: string; message: string }[] = [];
    redis.on("pmessage", (_pattern: string, channel: string, message: string) => heard.push({ channel, message }));
    await redis.psubscribe("*help-request.posted");
    return heard;
  };
  /** The channels some client of this Redis listens on, among those matching `pattern`. */
  const listening = async (pattern: string) => {
    const redis = new Redis(redisUrl!);
    spies.push(redis);
    return (await redis.pubsub("CHANNELS", pattern)) as string[];
  };

  it("keeps two deployments with different REDIS_CHANNEL_PREFIX apart: each announces and listens under its own prefix only", async () => {
    const stamp = randomBytes(4).toString("hex");
    const prefixes = { one: `zz-one-${stamp}:`, two: `zz-two-${stamp}:` };
    const one = await startTestApp({ name: "sqlite", redisUrl }, { REDIS_CHANNEL_PREFIX: prefixes.one });
    apps.push(one);
    const two = await startTestApp({ name: "sqlite", redisUrl }, { REDIS_CHANNEL_PREFIX: prefixes.two });
    apps.push(two);
    const heard = await spy();
    const onOne = collect(one.ws((await buildVolunteer(one)).token), POSTED);
    const onTwo = collect(two.ws((await buildVolunteer(two)).token), POSTED);
    await settle();

    const postedOnOne = await askForHelp(one, (await buildPerson(one)).token);
    const postedOnTwo = await askForHelp(two, (await buildPerson(two)).token);
    expect((await onOne.next(3000)).data.helpRequestPosted.helpRequest.id).toBe(postedOnOne.id);
    expect((await onTwo.next(3000)).data.helpRequestPosted.helpRequest.id).toBe(postedOnTwo.id);
    await settle();

    const channelsOf = (id: string) => heard.filter((h) => h.message.includes(id)).map((h) => h.channel);
    expect(channelsOf(postedOnOne.id)).toEqual([`${prefixes.one}help-request.posted`]);
    expect(channelsOf(postedOnTwo.id)).toEqual([`${prefixes.two}help-request.posted`]);
    expect(await listening(`zz-*-${stamp}:*`)).toEqual(expect.arrayContaining([`${prefixes.one}help-request.posted`, `${prefixes.two}help-request.posted`]));
    expect(await onOne.quiet(300)).toBe(true);
    expect(await onTwo.quiet(300)).toBe(true);
  });

  it("gives deployments on differently named databases different channels when no prefix is set", async () => {
    const heard = await spy();
    const apps2 = [await startTestApp({ name: "sqlite", redisUrl }), await startTestApp({ name: "sqlite", redisUrl })];
    apps.push(...apps2);
    const ids: string[] = [];
    for (const app of apps2) ids.push((await askForHelp(app, (await buildPerson(app)).token)).id);
    await settle();
    const channels = ids.map((id) => heard.filter((h) => h.message.includes(id)).map((h) => h.channel));
    expect(channels[0]).toEqual([`zorgzaam:${apps2[0].databaseUrl}:help-request.posted`]);
    expect(channels[1]).toEqual([`zorgzaam:${apps2[1].databaseUrl}:help-request.posted`]);
    expect(channels[0][0]).not.toBe(channels[1][0]);
  });
});
