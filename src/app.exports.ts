import type { AppDatabase } from "./app.tables.js";
import { accessLogExporter } from "./modules/access-log/access-log.export.js";
import { apiClientExporter } from "./modules/api-clients/api-client.export.js";
import { careExporter } from "./modules/care/care.export.js";
import type { PersonalDataExporter } from "./modules/data-rights/data-export.types.js";
import { dataRightsExporter } from "./modules/data-rights/data-rights.export.js";
import { escalationExporter } from "./modules/escalation/escalation.export.js";
import { caseWorkExporter } from "./modules/escalation/case-work.export.js";
import { helpRequestExporter } from "./modules/help-requests/help-request.export.js";
import { helpRequestAfterExporter } from "./modules/help-requests/help-request.after.export.js";
import { initiativeExporter, organisationsOfReaders } from "./modules/initiatives/initiative.export.js";
import { notificationExporter } from "./modules/notifications/notification.export.js";
import { accountExporter } from "./modules/people/account.export.js";
import { describeReaders, personExporter } from "./modules/people/person.export.js";
import { volunteerExporter } from "./modules/volunteers/volunteer.export.js";
import { webhookExporter } from "./modules/webhooks/webhook.export.js";
import { offerExporter } from "./modules/offers/offer.export.js";
import { buddyExporter } from "./modules/buddies/buddies.export.js";

/**
 * Every module's part of a person's data export, in the order the file lists them. Each module reads
 * its own tables in its `<module>.export.ts`; only here are they put together, so the data-rights module
 * names no other module's table. The access log describes its readers with the people module's roles and
 * teams and the initiatives module's organisations.
 */
export function personalDataExporters(db: AppDatabase): PersonalDataExporter[] {
  const roles = describeReaders(db);
  const organisations = organisationsOfReaders(db);
  return [
    personExporter(db),
    accountExporter(db),
    volunteerExporter(db),
    helpRequestExporter(db),
    offerExporter(db),
    helpRequestAfterExporter(db),
    careExporter(db),
    initiativeExporter(db),
    escalationExporter(db),
    caseWorkExporter(db),
    notificationExporter(db),
    apiClientExporter(db),
    webhookExporter(db),
    buddyExporter(db),
    accessLogExporter(db, async (ids) => {
      const [r, o] = await Promise.all([roles(ids), organisations(ids)]);
      return new Map(ids.map((id) => [id, { roles: r.get(id)?.roles ?? [], team: r.get(id)?.team ?? null, organisations: o.get(id) ?? [] }]));
    }),
    dataRightsExporter(db),
  ];
}
