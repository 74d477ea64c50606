import { readFileSync } from "node:fs";
import { buildSchema, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { SharingClassifier, checkViewerDependentFields } from "../../src/graphql/sharing.js";
import { POSTED_SUBSCRIPTION } from "../../bench/lib/queries.js";

const schema = buildSchema(readFileSync(new URL("../../schema/schema.graphql", import.meta.url), "utf8"));

describe("which subscription documents may share one execution", () => {
  const classifier = new SharingClassifier(schema);

  it("keeps the fan-out benchmark's document shared between subscribers alike", () => {
    expect(classifier.viewerDependent(parse(POSTED_SUBSCRIPTION))).toBe(false);
    expect(
      classifier.viewerDependent(
        parse(
          `subscription { helpRequestPosted { cursor helpRequest { id title personHelped { firstName } neighbourhood { name } suggestedInitiatives { id title placesLeft organisation { name } } } } }`,
        ),
      ),
    ).toBe(false);
  });

  it("executes per person a document that selects a viewer-dependent field anywhere, fragments included", () => {
    const viewerDependent = [
      `subscription { helpRequestPosted(neighbourhoodIds: ["nb_dordrecht-wielwijk"]) { helpRequest { suggestedInitiatives(first: 10) { mySignup { contact { fullName phone address email } } } } } }`,
      `subscription { helpRequestPosted { helpRequest { suggestedInitiatives { signups { edges { node { id } } } } } } }`,
      `subscription { helpRequestPosted { helpRequest { ...R } } } fragment R on HelpRequest { suggestedInitiatives { organisation { ... on Organisation { myRole } } } }`,
      `subscription { initiativePublished { initiative { organisation { members { role } } } } }`,
      `subscription { helpRequestChanged(id: "x") { helpRequest { contact { phone } } } }`,
    ];
    for (const text of viewerDependent) expect(classifier.viewerDependent(parse(text)), text).toBe(true);
  });

  it("refuses at boot a list that names a field the schema does not have", () => {
    expect(() => checkViewerDependentFields(schema)).not.toThrow();
    expect(() => checkViewerDependentFields(schema, ["Initiative.mySignup", "Initiative.myFriends"])).toThrow(/Initiative\.myFriends/);
  });
});
