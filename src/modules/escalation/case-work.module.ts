import type { GraphQLModule } from "../../graphql/module.js";
import type { PlaceService } from "../places/place.service.js";
import type { CaseNormsService } from "./case-norms.service.js";
import { CaseWorkResolver, toDocument, toNote } from "./case-work.resolver.js";
import type { CaseWorkService } from "./case-work.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly caseWork: CaseWorkService;
    readonly caseNorms: CaseNormsService;
  }
}

/** Casework on escalation cases: notes, contact moments, documents, norms, re-routes with a reason, linked cases. */
export const caseWorkModule: GraphQLModule<{ caseWork: CaseWorkService; caseNorms: CaseNormsService; places: PlaceService }> = {
  resolvers: [CaseWorkResolver],
  instances: (s) => [new CaseWorkResolver(s.caseWork, s.caseNorms, s.places)],
  nodes: (s) => ({
    CaseNote: async (ctx, id) => {
      const note = await s.caseWork.findNote(ctx.viewer, id);
      return note ? toNote(ctx, note) : null;
    },
    CaseDocument: async (ctx, id) => {
      const doc = await s.caseWork.findDocument(ctx.viewer, id);
      return doc ? toDocument(ctx, doc) : null;
    },
  }),
};
