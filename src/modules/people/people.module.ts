import type DataLoader from "dataloader";
import type { GraphQLModule } from "../../graphql/module.js";
import type { Node } from "../../graphql/relay.js";
import type { PlaceService } from "../places/place.service.js";
import { AccountResolver } from "./account.resolver.js";
import type { AccountService } from "./account.service.js";
import type { PersonRow } from "./person.repository.js";
import { PersonResolver } from "./person.resolver.js";
import type { PersonService } from "./person.service.js";
import { SessionResolver } from "./session.resolver.js";
import { TotpResolver } from "./totp.resolver.js";
import type { TotpService } from "./totp.service.js";

declare module "../../graphql/context.js" {
  interface ContextServices {
    readonly people: PersonService;
  }
  interface Loaders {
    /** People by id, for every resolver that shows one (the app builds it over PersonService.findByIds). */
    personById: DataLoader<string, PersonRow | undefined>;
  }
}

/** People: accounts, roles and the people asked for on someone's behalf. */
export const peopleModule: GraphQLModule<{ people: PersonService; places: PlaceService; accounts: AccountService; totp: TotpService }> = {
  resolvers: [PersonResolver, SessionResolver, AccountResolver, TotpResolver],
  instances: (s) => [new PersonResolver(s.people, s.places), new SessionResolver(s.people.sessions), new AccountResolver(s.accounts), new TotpResolver(s.totp)],
  nodes: () => ({
    // Yourself, or anyone for a coordinator; only the first name, as the node shows.
    Person: async (ctx, id) => {
      if (ctx.viewer.personId !== id && !ctx.viewer.roles.has("COORDINATOR")) return null;
      const p = await ctx.loaders.personById.load(id);
      return p ? ({ id: p.id, firstName: p.firstName } as Node) : null;
    },
  }),
};
