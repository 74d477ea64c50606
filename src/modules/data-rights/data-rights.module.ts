import type { GraphQLModule } from "../../graphql/module.js";
import { DataErasureResolver } from "./data-erasure.resolver.js";
import type { DataErasureService } from "./data-erasure.service.js";
import { EscalationRestrictionResolver } from "./data-restriction.resolver.js";
import { DataExportResolver } from "./data-export.resolver.js";
import type { DataExportService } from "./data-export.service.js";

/** Data rights: a person's export of everything held about them (GDPR art. 15 and 20), and its erasure and restriction (art. 17 and 18). */
export const dataRightsModule: GraphQLModule<{ dataRights: DataExportService; dataErasure: DataErasureService }> = {
  resolvers: [DataExportResolver, DataErasureResolver, EscalationRestrictionResolver],
  instances: (s) => [new DataExportResolver(s.dataRights), new DataErasureResolver(s.dataErasure), new EscalationRestrictionResolver(s.dataErasure)],
};
