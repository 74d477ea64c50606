import type { Logger } from "pino";
import { defaultConfig } from "./config/env.js";
import type { AppDatabase } from "./app.tables.js";
import { AccessLogRepository } from "./modules/access-log/access-log.repository.js";
import { AccessLogService } from "./modules/access-log/access-log.service.js";
import { describeReaders } from "./modules/people/person.export.js";
import { organisationsOfReaders } from "./modules/initiatives/initiative.export.js";
import { CareRepository } from "./modules/care/care.repository.js";
import { CareService, type CareSettings } from "./modules/care/care.service.js";
import { EscalationRepository } from "./modules/escalation/escalation.repository.js";
import { EscalationService } from "./modules/escalation/escalation.service.js";
import { type DocumentStore, DiskDocumentStore } from "./modules/escalation/case-document.store.js";
import { CaseNormsService } from "./modules/escalation/case-norms.service.js";
import { CaseWorkRepository } from "./modules/escalation/case-work.repository.js";
import { CaseWorkService } from "./modules/escalation/case-work.service.js";
import { type EscalationSettings, escalationSettings } from "./modules/escalation/escalation.settings.js";
import { IdempotencyRepository } from "./modules/idempotency/idempotency.repository.js";
import { IdempotencyService } from "./modules/idempotency/idempotency.service.js";
import { HelpRequestBrowseRepository } from "./modules/help-requests/help-request.browse.repository.js";
import { HelpRequestRepository } from "./modules/help-requests/help-request.repository.js";
import { HelpRequestService } from "./modules/help-requests/help-request.service.js";
import { HelpRequestChoiceRepository } from "./modules/help-requests/help-request.choice.repository.js";
import { HelpRequestChoiceService } from "./modules/help-requests/help-request.choice.service.js";
import { HelpRequestAfterRepository } from "./modules/help-requests/help-request.after.repository.js";
import { HelpRequestAfterService } from "./modules/help-requests/help-request.after.service.js";
import { InitiativeRepository } from "./modules/initiatives/initiative.repository.js";
import { InitiativeService } from "./modules/initiatives/initiative.service.js";
import { OrganisationRepository } from "./modules/initiatives/organisation.repository.js";
import { OrganisationService } from "./modules/initiatives/organisation.service.js";
import { ParticipationRepository } from "./modules/initiatives/participation.repository.js";
import { ParticipationService } from "./modules/initiatives/participation.service.js";
import { SignupRepository } from "./modules/initiatives/signup.repository.js";
import { SignupService } from "./modules/initiatives/signup.service.js";
import { TokenService } from "./modules/people/auth.tokens.js";
import { PersonRepository } from "./modules/people/person.repository.js";
import { PersonService } from "./modules/people/person.service.js";
import { type LoginThrottleSettings, createLoginThrottle } from "./modules/people/login-throttle.js";
import { AccountMailer } from "./modules/people/account.mailer.js";
import { AccountRepository } from "./modules/people/account.repository.js";
import { AccountService } from "./modules/people/account.service.js";
import { type AccountSettings, defaultAccountSettings } from "./modules/people/account.settings.js";
import { TotpRepository } from "./modules/people/totp.repository.js";
import { TotpService } from "./modules/people/totp.service.js";
import { SessionRepository } from "./modules/people/session.repository.js";
import { SessionService } from "./modules/people/session.service.js";
import { PlaceRepository } from "./modules/places/place.repository.js";
import { PlaceService } from "./modules/places/place.service.js";
import { VolunteerRepository } from "./modules/volunteers/volunteer.repository.js";
import { VolunteerService } from "./modules/volunteers/volunteer.service.js";
import { OfferRepository } from "./modules/offers/offer.repository.js";
import { OfferService } from "./modules/offers/offer.service.js";
import { EmailChannel, type EmailSettings } from "./modules/notifications/notification.channel.js";
import { PushChannel } from "./modules/notifications/notification.push.js";
import { PushRepository } from "./modules/notifications/notification.push.repository.js";
import { type PushConfig, PushService, loadPushSettings } from "./modules/notifications/notification.push.service.js";
import { NotificationRepository } from "./modules/notifications/notification.repository.js";
import { NotificationService, type NotificationSettings } from "./modules/notifications/notification.service.js";
import { ReminderRepository } from "./modules/notifications/notification.reminders.repository.js";
import { notificationSettings } from "./modules/notifications/notification.settings.js";
import { helpRequestsForNotifications, initiativesForNotifications, placeNames } from "./modules/notifications/notification.sources.js";
import { ApiClientRepository } from "./modules/api-clients/api-client.repository.js";
import { ApiKeyUsageRepository } from "./modules/api-clients/api-key-usage.repository.js";
import { ApiClientService, type ApiClientSettings } from "./modules/api-clients/api-client.service.js";
import { createRateLimiter } from "./modules/api-clients/rate-limiter.js";
import { StatsRepository } from "./modules/stats/stats.repository.js";
import { StatsService, type StatsSettings } from "./modules/stats/stats.service.js";
import { StatsCells } from "./modules/stats/stats.cells.js";
import { withStatsKept } from "./modules/stats/stats.retention.js";
import { StatsCouncil } from "./modules/stats/stats.council.js";
import { EXAMPLE_TARIFFS } from "./modules/stats/stats.tariffs.js";
import { StatsCellsRepository } from "./modules/stats/stats.cells.repository.js";
import { InformalHoursRepository, informalHoursSource } from "./modules/stats/stats.informal.js";
import { CareCircleFiguresRepository, careCircleSources } from "./modules/stats/stats.circles.js";
import { type Clock, ShiftableClock } from "./shared/clock.js";
import { SweepService } from "./modules/operations/sweep.service.js";
import { WebhookDispatcher } from "./modules/webhooks/webhook.dispatcher.js";
import { WebhookRepository } from "./modules/webhooks/webhook.repository.js";
import { WebhookSender } from "./modules/webhooks/webhook.sender.js";
import { WebhookService, type WebhookSettings } from "./modules/webhooks/webhook.service.js";
import { webhookSettings } from "./modules/webhooks/webhook.settings.js";
import type { EventBus } from "./shared/events.js";
import { Outbox } from "./db/outbox.js";
import { personalDataExporters } from "./app.exports.js";
import { type RetentionSettings, defaultRetentionSettings, retentionRules } from "./app.retention.js";
import { RetentionService } from "./modules/operations/retention.service.js";
import { createBuddies } from "./modules/buddies/buddies.services.js";
import { personalDataErasers } from "./app.erasers.js";
import { DataErasureRepository } from "./modules/data-rights/data-erasure.repository.js";
import { DataErasureService } from "./modules/data-rights/data-erasure.service.js";
import { DataExportRepository } from "./modules/data-rights/data-export.repository.js";
import { DataExportService, type DataRightsSettings } from "./modules/data-rights/data-export.service.js";

/** The singleton services of one running app; seeds and tests call them directly. */
export interface Services {
  db: AppDatabase;
  /** Durable events: recorded with each change, replayed to subscribers that reconnect. */
  outbox: Outbox;
  clock: Clock;
  events: EventBus;
  tokens: TokenService;
  places: PlaceService;
  people: PersonService;
  volunteers: VolunteerService;
  accessLog: AccessLogService;
  helpRequests: HelpRequestService;
  /** Volunteers' offers of help, their public listings and the asks made from them. */
  offers: OfferService;
  /** Choice mode: volunteers offer to help and the asking side picks one. */
  helpRequestChoice: HelpRequestChoiceService;
  /** After the help: thanks, follow-up and volunteer hours. */
  helpRequestAfter: HelpRequestAfterService;
  organisations: OrganisationService;
  initiatives: InitiativeService;
  signups: SignupService;
  participation: ParticipationService;
  care: CareService;
  escalation: EscalationService;
  /** Notes, contact moments and documents on cases, for their teams. */
  caseWork: CaseWorkService;
  /** First-contact and closing norms, the queue's search, re-routes with a reason, linked cases. */
  caseNorms: CaseNormsService;
  idempotency: IdempotencyService;
  sweeps: SweepService;
  /** Removes or pseudonymises data past its term (docs/retention.md) and keeps the totals. */
  retention: RetentionService;
  /** An account's password, its reset by e-mail, disabling, and the second factor. */
  accounts: AccountService;
  /** The second factor (TOTP) of professionals and coordinators. */
  totp: TotpService;
  /** Partner apps: keys, scopes, rate limits, allow-lists. */
  apiClients: ApiClientService;
  /** Statistics per neighbourhood and month. */
  stats: StatsService;
  statsCouncil: StatsCouncil;
  /** What people are told by e-mail, their preferences and history, and the dead letters. */
  notifications: NotificationService;
  /** Browsers' Web Push subscriptions and the VAPID key. */
  push: PushService;
  /** A person's export of everything held about them (GDPR art. 15 and 20). */
  dataRights: DataExportService;
  dataErasure: DataErasureService;
  /** Partner webhooks: endpoints, signed deliveries, retries, the delivery log. */
  webhooks: WebhookService;
  /** Set only when CLOCK_CONTROL is on (tests and simulations). */
  controllableClock: ShiftableClock | null;
}

/** Wires repositories into services by hand: no container or reflection, since esbuild emits no decorator metadata (STYLE.md habit 4); the composition of the modules is decision 26 in docs/decisions.md. */
export async function createServices(
  db: AppDatabase,
  events: EventBus,
  clock: Clock,
  auth: {
    jwtSecret?: string;
    tokenTtlSeconds: number;
    care?: Partial<CareSettings>;
    escalation?: Partial<EscalationSettings>;
    /** Where case documents are kept and how large one may be (default: a disk store under data/case-documents, 10 MB). */
    caseDocuments?: { store?: DocumentStore; dir?: string; maxBytes?: number };
    clockControl?: boolean;
    /** Rate limits of API keys; `redisUrl` makes the limits hold across instances. */
    apiClients?: Partial<ApiClientSettings> & { redisUrl?: string };
    stats?: Partial<StatsSettings>;
    idempotencyTtlHours?: number;
    /** Failed logins allowed per account and per address within a window (LOGIN_* settings). */
    loginThrottle?: LoginThrottleSettings;
    /** Prefix of the throttle's Redis keys, so deployments sharing a Redis count apart. */
    loginThrottlePrefix?: string;
    eventLogRetentionHours?: number;
    /** How long an instance trusts roles and keys it read (ms); revocations elsewhere show within it. */
    credentialCacheMs?: number;
    /** Sessions, password resets and the second factor (default: defaultAccountSettings, no e-mail). */
    accounts?: AccountSettings;
    /** Notifications and the e-mail channel (default: the config schema's defaults, e-mail to the log). */
    notifications?: { settings: NotificationSettings; email: EmailSettings };
    /** Web Push's settings (VAPID_*, PUSH_*); without them (seeds, benchmarks) push is off. */
    push?: PushConfig;
    /** Data exports: how long a download link works and a file is kept. */
    dataRights?: Partial<DataRightsSettings>;
    /** Partner webhooks (default: the config schema's defaults). */
    webhooks?: WebhookSettings;
    /** Terms of retention per kind of data (RETENTION_* settings). */
    retention?: Partial<RetentionSettings>;
  },
  log?: Logger,
): Promise<Services> {
  const reportError = (err: unknown, context: string) => log?.error({ err }, context);
  const outbox = new Outbox(db, events);
  const tokens = await TokenService.create(db, auth.jwtSecret, auth.tokenTtlSeconds);
  const places = new PlaceService(new PlaceRepository(db));
  await places.reload();
  const accountConfig = auth.accounts ?? defaultAccountSettings;
  const sessionRows = new SessionRepository(db);
  const sessions = new SessionService(sessionRows, tokens, accountConfig.lastSeenMs);
  const personRows = new PersonRepository(db);
  const people = new PersonService(
    personRows,
    places,
    tokens,
    sessions,
    clock,
    createLoginThrottle(auth.loginThrottle ?? { perAccount: 10, perAddress: 100, windowSeconds: 900 }, auth.apiClients?.redisUrl, auth.loginThrottlePrefix),
    auth.credentialCacheMs,
  );
  const throttlePrefix = auth.loginThrottlePrefix ?? "zorgzaam:";
  // One transport for an account's own mails and care circle invitations to addresses without an account.
  const accountMailer = new AccountMailer(accountConfig.mail, log);
  const accounts = new AccountService(
    personRows,
    new AccountRepository(db),
    sessionRows,
    sessions,
    accountMailer,
    clock,
    accountConfig,
    reportError,
    createLoginThrottle(
      { perAccount: accountConfig.resetMailsPerHour, perAddress: accountConfig.resetMailsPerHour * 20, windowSeconds: 3600 },
      auth.apiClients?.redisUrl,
      `${throttlePrefix}reset:`,
    ),
    createLoginThrottle(auth.loginThrottle ?? { perAccount: 10, perAddress: 100, windowSeconds: 900 }, auth.apiClients?.redisUrl, `${throttlePrefix}password-change:`),
  );
  const totp = new TotpService(
    new TotpRepository(db),
    personRows,
    createLoginThrottle(
      { perAccount: accountConfig.totpMaxFailures, perAddress: 1_000_000, windowSeconds: accountConfig.totpWindowSeconds },
      auth.apiClients?.redisUrl,
      `${throttlePrefix}totp:`,
    ),
    tokens.deriveKey("totp secrets"),
    accountConfig.requireTotpFor,
    (personId) => people.credentialsChanged(personId),
  );
  people.useSecondFactor(totp);
  const notify = auth.notifications ?? notificationSettings();
  // One term for a VOG: what counts, when the sweep ends it, and the reminder before (VOG_VALID_MONTHS).
  const volunteers = new VolunteerService(new VolunteerRepository(db), places, people, clock, notify.settings.reminders.vogValidMonths);
  const readerRoles = describeReaders(db);
  const readerOrganisations = organisationsOfReaders(db);
  // The access log keeps the reader's roles, team and organisations as they were at the time of reading.
  const accessLog = new AccessLogService(new AccessLogRepository(db), clock, async (id) => {
    const [r, o] = await Promise.all([readerRoles([id]), readerOrganisations([id])]);
    return { roles: r.get(id)?.roles ?? [], team: r.get(id)?.team ?? null, organisations: o.get(id) ?? [] };
  });
  const helpRequests = new HelpRequestService(
    new HelpRequestRepository(db),
    new HelpRequestBrowseRepository(db),
    places,
    people,
    volunteers,
    accessLog,
    outbox,
    clock,
    reportError,
  );
  const offers = new OfferService(new OfferRepository(db), volunteers, people, places, helpRequests, outbox, clock);
  const helpRequestChoice = new HelpRequestChoiceService(new HelpRequestChoiceRepository(db), new HelpRequestRepository(db), helpRequests, volunteers, accessLog, outbox, clock);
  const helpRequestAfter = new HelpRequestAfterService(new HelpRequestAfterRepository(db), helpRequests, volunteers, clock);
  const organisations = new OrganisationService(new OrganisationRepository(db), places, people, helpRequests, outbox, clock);
  helpRequests.linkOrganisations({
    isOrganiser: (viewer, organisationId) => organisations.isOrganiser(viewer, organisationId),
    organisedVolunteerIds: (viewer) => organisations.organisedVolunteerIds(viewer),
    contactOf: (id) => organisations.findRow(id),
  });
  const initiatives = new InitiativeService(new InitiativeRepository(db), organisations, places, people, outbox, clock);
  const signups = new SignupService(new SignupRepository(db), initiatives, organisations, people, accessLog, outbox, clock);
  const participation = new ParticipationService(new ParticipationRepository(db), initiatives, organisations, people, accessLog, places, clock);
  const care = new CareService(
    new CareRepository(db),
    places,
    people,
    helpRequests,
    tokens,
    outbox,
    clock,
    {
      horizonWeeks: 8,
      gapLeadHours: 48,
      invitationTtlHours: 72,
      sustainedOverloadDays: 28,
      missedShiftsLimit: 3,
      missedShiftsDays: 14,
      publicUrl: "http://localhost:4000",
      emailInvitationsPerDay: 10,
      ...auth.care,
    },
    accessLog,
    { mailer: accountMailer, reportError },
  );
  // Built early: the escalation module asks it whether a case is restricted after an erasure.
  const erasureRepository = new DataErasureRepository(db);
  const escalation = new EscalationService(
    new EscalationRepository(db),
    places,
    people,
    helpRequests,
    care,
    accessLog,
    outbox,
    clock,
    { ...escalationSettings(), ...auth.escalation },
    reportError,
    async (caseId) => (await erasureRepository.restrictionOf(caseId)) !== undefined,
  );
  const escalationConfig = { ...escalationSettings(), ...auth.escalation };
  const caseWorkRepository = new CaseWorkRepository(db);
  const documentStore = auth.caseDocuments?.store ?? new DiskDocumentStore(auth.caseDocuments?.dir ?? defaultConfig().CASE_DOCUMENTS_DIR);
  const caseWork = new CaseWorkService(
    caseWorkRepository,
    escalation,
    people,
    accessLog,
    documentStore,
    clock,
    auth.caseDocuments?.maxBytes ?? defaultConfig().CASE_DOCUMENT_MAX_BYTES,
  );
  const caseNorms = new CaseNormsService(caseWorkRepository, escalation, people, outbox, clock, {
    firstContactHours: escalationConfig.firstContactHours ?? defaultConfig().FIRST_CONTACT_WITHIN_HOURS,
    closeHours: escalationConfig.closeHours ?? defaultConfig().CLOSE_WITHIN_HOURS,
  });
  helpRequestAfter.linkProfessionals(async (viewer, input) => (await escalation.askProfessionalHelp(viewer, input)).id);
  const buddies = createBuddies(db, { organisations, people, volunteers, places, accessLog, clock });
  escalation.triggers.linkBuddySignals(() => buddies.matches.escalationDue());
  const pushRepository = new PushRepository(db);
  const pushSettings = await loadPushSettings(auth.push ?? { ...defaultConfig(), NODE_ENV: "test" }, pushRepository, clock);
  const push = new PushService(pushRepository, pushSettings, clock);
  const notifications = new NotificationService(
    new NotificationRepository(db),
    helpRequestsForNotifications(helpRequests, (id) => helpRequestChoice.releasedOffers(id)),
    initiativesForNotifications(initiatives, signups),
    placeNames(places),
    tokens,
    [new EmailChannel(notify.email, log), new PushChannel(pushRepository, pushSettings, clock, log)],
    { onCommit: (listener) => db.onCommit(listener), prunedThrough: () => outbox.prunedThrough() },
    clock,
    notify.settings,
    reportError,
    new ReminderRepository(db),
  );
  const dataRights = new DataExportService(
    new DataExportRepository(db),
    {
      exporters: personalDataExporters(db),
      personExists: async (id) => (await people.findById(id)) !== undefined,
      recordRead: (readerId, subjectId, fields, purpose, objectId) => accessLog.record(readerId, subjectId, fields, purpose, objectId),
      linkKey: tokens.deriveKey("data export links"),
      isCoordinator: async (id) => (await personRows.rolesOf(id)).includes("COORDINATOR"),
      sessionLive: async (personId, sessionId) => {
        const state = await sessionRows.state(personId, sessionId);
        return Boolean(state && !state.disabledAt && state.session && state.session.personId === personId && !state.session.endedAt);
      },
    },
    clock,
    { linkTtlSeconds: 900, keepHours: 24, ...auth.dataRights },
    reportError,
  );
  const dataErasure = new DataErasureService(
    erasureRepository,
    {
      // apiClients is made further down; the erasure calls it only once the app runs.
      erasers: personalDataErasers(db, clock, { apiKeysRevoked: (clientIds) => apiClients.keysRevoked(clientIds) }),
      personExists: async (id) => (await people.findById(id)) !== undefined,
      recordRead: (readerId, subjectId, fields, purpose, objectId) => accessLog.record(readerId, subjectId, fields, purpose, objectId),
      isCoordinator: async (id) => (await personRows.rolesOf(id)).includes("COORDINATOR"),
    },
    clock,
    reportError,
  );
  const webhookRepository = new WebhookRepository(db);
  const webhookSend = auth.webhooks ?? webhookSettings();
  const webhooks = new WebhookService(
    webhookRepository,
    new WebhookDispatcher(webhookRepository, clock, reportError, () => outbox.prunedThrough()),
    new WebhookSender(webhookRepository, clock, webhookSend, reportError, outbox),
    clock,
    webhookSend,
    () => outbox.prunedThrough(),
    reportError,
  );
  const idempotency = new IdempotencyService(new IdempotencyRepository(db), clock, auth.idempotencyTtlHours ?? 24, tokens.deriveKey("idempotency records"));
  const retention = new RetentionService(
    db,
    withStatsKept(db, clock, retentionRules(db, tokens.deriveKey("retention pseudonyms"), { ...defaultRetentionSettings, ...auth.retention }, documentStore)),
    clock,
    log,
    reportError,
  );
  const retentionMs = (auth.eventLogRetentionHours ?? 72) * 3600_000;
  const statsRepository = new StatsRepository(db);
  const stats = new StatsService(statsRepository, places, clock, new StatsCells(new StatsCellsRepository(db), clock));
  const statsCouncil = new StatsCouncil(
    stats,
    statsRepository,
    places,
    clock,
    auth.stats?.tariffs ?? EXAMPLE_TARIFFS,
    [
      informalHoursSource(
        new InformalHoursRepository(db),
        (ids) => statsRepository.createdAt(ids),
        () => clock.now(),
      ),
      ...careCircleSources(
        new CareCircleFiguresRepository(db),
        (ids) => statsRepository.createdAt(ids),
        () => clock.now(),
      ),
    ],
    (range) => buddies.matches.councilFigures(range),
    caseNorms,
  );
  const sweeps = new SweepService(
    helpRequests,
    care,
    escalation,
    idempotency,
    () => outbox.prune(new Date(clock.now().getTime() - retentionMs)),
    reportError,
    [
      // Before notifications: the requests a VOG's end reopens are announced in the same pass.
      { context: "ending VOGs past their term", run: () => volunteers.expireEnded() },
      { context: "notifications", run: () => notifications.sweep() },
      { context: "pruning notifications", run: () => notifications.prune() },
      { context: "pruning data exports", run: () => dataRights.prune() },
      { context: "webhooks", run: () => webhooks.run() },
      { context: "pruning webhooks", run: () => webhooks.prune() },
      { context: "pruning ended sessions", run: () => accounts.prune() },
      { context: "buddy check-ins", run: () => buddies.matches.sweep() },
      // After the rules of the pass: the cells of ended months are computed from what they recorded.
      { context: "statistics", run: () => stats.keepCells() },
    ],
    () => retention.run(),
  );
  const apiClientRepository = new ApiClientRepository(db);
  const apiClients = new ApiClientService(
    apiClientRepository,
    people,
    createRateLimiter({ redisUrl: auth.apiClients?.redisUrl, dialect: db.dialect, repo: apiClientRepository }),
    clock,
    { defaultRateLimitPerMinute: 600, anonymousRateLimitPerMinute: 0, ...auth.apiClients },
    new ApiKeyUsageRepository(db),
    reportError,
  );
  // A sandbox's organisation sits in the first neighbourhood: it is never verified, so never shown.
  apiClients.setSandboxOrganisations((viewer, o) => organisations.create(viewer, { ...o, kind: "OTHER", neighbourhoodId: places.listNeighbourhoods()[0]?.id }));
  apiClients.organisations.seats = { join: (o, p, by) => organisations.seatApp(o, p, by), leave: (p) => organisations.unseatApp(p) };
  const controllableClock = clock instanceof ShiftableClock && auth.clockControl ? clock : null;
  return {
    db,
    outbox,
    clock,
    events,
    tokens,
    places,
    people,
    accounts,
    totp,
    volunteers,
    accessLog,
    helpRequests,
    offers,
    helpRequestChoice,
    helpRequestAfter,
    organisations,
    initiatives,
    signups,
    participation,
    care,
    escalation,
    caseWork,
    caseNorms,
    idempotency,
    sweeps,
    retention,
    apiClients,
    stats,
    statsCouncil,
    notifications,
    push,
    dataRights,
    dataErasure,
    webhooks,
    buddies,
    controllableClock,
  };
}
