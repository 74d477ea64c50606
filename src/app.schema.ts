import "reflect-metadata";
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { GraphQLSchema } from "graphql";
import type { Services } from "./app.services.js";
import type { AuthRule } from "./graphql/auth-checker.js";
import type { GraphQLModule } from "./graphql/module.js";
import type { NodeLoader } from "./graphql/node.resolver.js";
import { assembleSchema, printSortedSchema } from "./graphql/schema.js";
import { accessLogModule } from "./modules/access-log/access-log.module.js";
import { apiClientsModule } from "./modules/api-clients/api-clients.module.js";
import { careModule } from "./modules/care/care.module.js";
import { escalationModule } from "./modules/escalation/escalation.module.js";
import { caseWorkModule } from "./modules/escalation/case-work.module.js";
import { helpRequestsModule } from "./modules/help-requests/help-requests.module.js";
import { helpRequestChoiceModule } from "./modules/help-requests/help-request.choice.module.js";
import { helpRequestAfterModule } from "./modules/help-requests/help-request.after.module.js";
import { initiativesModule } from "./modules/initiatives/initiatives.module.js";
import { operationsModule } from "./modules/operations/operations.module.js";
import { peopleModule } from "./modules/people/people.module.js";
import { placesModule } from "./modules/places/places.module.js";
import { statsModule } from "./modules/stats/stats.module.js";
import { volunteersModule } from "./modules/volunteers/volunteers.module.js";
import { notificationsModule } from "./modules/notifications/notifications.module.js";
import { dataRightsModule } from "./modules/data-rights/data-rights.module.js";
import { webhooksModule } from "./modules/webhooks/webhooks.module.js";
import { offersModule } from "./modules/offers/offers.module.js";
import { buddiesModule } from "./modules/buddies/buddies.module.js";

/** The modules of the GraphQL API, in the order their resolvers join the schema. */
export const modules: readonly GraphQLModule<Services>[] = [
  placesModule,
  peopleModule,
  volunteersModule,
  helpRequestsModule,
  offersModule,
  helpRequestChoiceModule,
  helpRequestAfterModule,
  accessLogModule,
  initiativesModule,
  careModule,
  operationsModule,
  escalationModule,
  caseWorkModule,
  apiClientsModule,
  statsModule,
  notificationsModule,
  dataRightsModule,
  webhooksModule,
  buddiesModule,
];

/** The schema of every module; with `services` ready to serve, without them only to print. */
export function buildGraphQLSchema(services: Services | null): GraphQLSchema {
  return assembleSchema({
    resolvers: modules.flatMap((m) => m.resolvers),
    serving: services
      ? {
          instances: modules.flatMap((m) => m.instances(services)),
          rules: byName<AuthRule>(
            "@Authorized rule",
            modules.map((m) => m.rules?.(services) ?? {}),
          ),
          nodes: byName<NodeLoader>(
            "node loader",
            modules.map((m) => m.nodes?.(services) ?? {}),
          ),
        }
      : undefined,
  });
}

/** One record of the modules' named parts; a name two modules give is a wiring mistake. */
function byName<T>(what: string, parts: Record<string, T>[]): Record<string, T> {
  const all: Record<string, T> = {};
  for (const part of parts) {
    for (const [name, value] of Object.entries(part)) {
      if (name in all) throw new Error(`two modules give the ${what} ${name}`);
      all[name] = value;
    }
  }
  return all;
}

/** `npm run schema`: writes schema/schema.graphql from the code. */
export const schemaFile = resolve(dirname(fileURLToPath(import.meta.url)), "../schema/schema.graphql");

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  writeFileSync(schemaFile, printSortedSchema(buildGraphQLSchema(null)));
  console.log(`wrote ${schemaFile}`);
}
