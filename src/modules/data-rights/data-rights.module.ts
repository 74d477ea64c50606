import type { GraphQLModule } from "../../graphql/module.js";
import { DataExportResolver } from "./data-export.resolver.js";
import type { DataExportService } from "./data-export.service.js";

/** Data rights: a person's export of everything held about them (GDPR art. 15 and 20). */
export const dataRightsModule: GraphQLModule<{ dataRights: DataExportService }> = {
  resolvers: [DataExportResolver],
  instances: (s) => [new DataExportResolver(s.dataRights)],
};
