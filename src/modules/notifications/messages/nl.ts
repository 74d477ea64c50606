import type { MessageCatalogue } from "./catalogue.js";

/**
 * Dutch texts of notifications (the deployment's default language), in ICU MessageFormat. Every key here
 * exists in en.ts too (a unit test fails otherwise). Messages say what happened and where to read the
 * rest; they never carry what a person wrote, health or care details, or an address.
 */
export const nl: MessageCatalogue = {
  common: {
    greeting: "Beste {name},",
    button: "Openen in Zorgzaam",
    readMore: "Log in om de rest te lezen: {url}",
    urgent: "Deze hulpvraag is dringend.",
    dailyLimit: "Je krijgt hooguit {limit, plural, one {# e-mail} other {# e-mails}} per dag over nieuwe hulpvragen.",
    settings: "Kies wat je ontvangt: {url}",
    unsubscribe: "Geen e-mails meer hierover: {url}",
    signature: "Zorgzaam",
    noDate: "nog niet bekend",
  },
  why: {
    volunteer: "Je krijgt dit bericht omdat je via Zorgzaam vrijwilliger bent.",
    requester: "Je krijgt dit bericht omdat je via Zorgzaam om hulp hebt gevraagd.",
    participant: "Je krijgt dit bericht omdat je je via Zorgzaam hebt aangemeld (of bent aangemeld).",
    circle: "Je krijgt dit bericht omdat je in een zorgnetwerk op Zorgzaam zit.",
    team: "Je krijgt dit bericht omdat je in een professioneel team op Zorgzaam werkt.",
    coordinator: "Je krijgt dit bericht omdat je Zorgzaam coördineert.",
  },
  about: {
    own: "je hulpvraag voor {category}",
    onBehalf: "de hulpvraag voor {category} die je voor {forName} hebt gesteld",
  },
  subject: {
    HELP_REQUEST_NEW: "{urgent, select, true {Dringend: een nieuwe hulpvraag} other {Een nieuwe hulpvraag}} in {neighbourhood} past bij je",
    HELD_REQUEST_CHANGED: "Een hulpvraag waarbij je helpt is gewijzigd",
    HELD_REQUEST_CANCELLED: "Een hulpvraag waarbij je helpt is ingetrokken",
    HELP_REQUEST_MATCHED: "Er is een vrijwilliger gevonden",
    HELP_REQUEST_STARTED: "De vrijwilliger is begonnen",
    HELP_REQUEST_DONE: "De hulp is klaar",
    HELP_REQUEST_RELEASED: "Je hulpvraag staat weer open voor vrijwilligers",
    HELP_REQUEST_ESCALATED: "Een professioneel team neemt het over",
    INITIATIVE_SIGNUP_CONFIRMED: "Je plek is bevestigd",
    INITIATIVE_SIGNUP_WAITLISTED: "Op de wachtlijst",
    INITIATIVE_SIGNUP_PROMOTED: "Er is een plek vrijgekomen",
    INITIATIVE_RESCHEDULED: "Nieuwe data",
    INITIATIVE_CANCELLED: "Geannuleerd",
    CARE_SWAP_PROPOSED: "Kun je een dienst overnemen?",
    CARE_GAP_POSTED: "Een dienst is naar vrijwilligers gegaan",
    HELD_REQUEST_STARTING_SOON: "Een hulpvraag die je op je nam begint zo",
    VOG_EXPIRING: "Je VOG verloopt binnenkort",
    CARE_SHIFT_TOMORROW: "Je dienst van morgen",
    ESCALATION_OVERDUE: "{urgent, select, true {Dringend: een casus} other {Een casus}} wacht op bevestiging",
    VOG_REVIEWS_WAITING: "{count, plural, one {# VOG wacht} other {# VOG's wachten}} op beoordeling",
    HELP_REQUEST_DIGEST: "{count, plural, one {# nieuwe hulpvraag past} other {# nieuwe hulpvragen passen}} bij je",
  },
  body: {
    HELP_REQUEST_NEW: "Een nieuwe hulpvraag voor {category} in {neighbourhood} past bij je vrijwilligersprofiel. De hulp is gewenst vanaf {when}.",
    HELD_REQUEST_CHANGED: "De hulpvraag voor {category} die je had aangenomen is overgedragen aan een professioneel team. Je hoeft er niets meer voor te doen.",
    HELD_REQUEST_CANCELLED: "De hulpvraag voor {category} die je had aangenomen is ingetrokken. Je hoeft er niets meer voor te doen.",
    HELP_REQUEST_MATCHED: "Een vrijwilliger heeft {about} aangenomen. Log in om te zien wie het is en hoe je diegene bereikt.",
    HELP_REQUEST_STARTED: "De vrijwilliger is begonnen aan {about}.",
    HELP_REQUEST_DONE: "De hulp bij {about} is klaar. Dank je wel voor het gebruik van Zorgzaam.",
    HELP_REQUEST_RELEASED: "De vrijwilliger kon niet verder met {about}. De hulpvraag staat weer open voor andere vrijwilligers.",
    HELP_REQUEST_ESCALATED: "We hebben {about} overgedragen aan een professioneel team, dat contact met je opneemt.",
    INITIATIVE_SIGNUP_CONFIRMED: "{onBehalf, select, true {De plek van {forName}} other {Je plek}} bij {what} in {neighbourhood} is bevestigd. De eerstvolgende datum is {when}.",
    INITIATIVE_SIGNUP_WAITLISTED:
      "{onBehalf, select, true {{forName} staat} other {Je staat}} op de wachtlijst voor {what} in {neighbourhood}. Je hoort het van ons als er een plek vrijkomt.",
    INITIATIVE_SIGNUP_PROMOTED:
      "Er is een plek vrijgekomen: {onBehalf, select, true {{forName} heeft} other {je hebt}} een plek bij {what} in {neighbourhood}. De eerstvolgende datum is {when}.",
    INITIATIVE_RESCHEDULED:
      "De data van {what} in {neighbourhood} {onBehalf, select, true {waarvoor je {forName} hebt aangemeld} other {waarvoor je je hebt aangemeld}} zijn gewijzigd. De eerstvolgende datum is nu {when}.",
    INITIATIVE_CANCELLED:
      "De organisatie heeft {what} in {neighbourhood} {onBehalf, select, true {waarvoor je {forName} had aangemeld} other {waarvoor je je had aangemeld}} geannuleerd.",
    CARE_SWAP_PROPOSED: "Een lid van je zorgnetwerk vraagt of je de dienst van {when} wilt overnemen. Log in om te accepteren of af te wijzen.",
    CARE_GAP_POSTED: "Niemand in je zorgnetwerk kon de dienst van {when} op zich nemen; daarom is hij aan vrijwilligers gevraagd. Log in om het te volgen.",
    HELD_REQUEST_STARTING_SOON:
      "De hulpvraag voor {category} die je op je nam begint {when}, en je bent nog niet begonnen. Log in om te beginnen, of geef hem terug als je niet kunt.",
    VOG_EXPIRING:
      "Je VOG (Verklaring Omtrent Gedrag) geldt tot {date}. Vraag op tijd een nieuwe aan en geef die op in Zorgzaam, zodat je kunt blijven helpen bij hulpvragen die er een nodig hebben.",
    CARE_SHIFT_TOMORROW: "Ter herinnering: morgen, {when}, heb je een dienst in je zorgnetwerk. Log in om hem te zien, of vraag een ruil als je niet kunt.",
    ESCALATION_OVERDUE:
      "Een casus in de wachtrij van je team is over de tijd waarop hij bevestigd had moeten zijn, en niemand heeft hem nog bevestigd. Log in om hem op te pakken.",
    VOG_REVIEWS_WAITING:
      "{count, plural, one {# VOG wacht} other {# VOG's wachten}} op beoordeling door een coördinator. Log in om {count, plural, one {hem} other {ze}} te beoordelen.",
    HELP_REQUEST_DIGEST:
      "{count, plural, one {# nieuwe hulpvraag die bij je vrijwilligersprofiel past, staat} other {# nieuwe hulpvragen die bij je vrijwilligersprofiel passen, staan}} nog open:",
  },
  kindLabel: {
    HELP_REQUEST_NEW: "nieuwe hulpvragen die bij je passen",
    HELD_REQUEST_CHANGED: "wijzigingen in hulpvragen waarbij je helpt",
    HELD_REQUEST_CANCELLED: "ingetrokken hulpvragen waarbij je helpt",
    HELP_REQUEST_MATCHED: "een vrijwilliger die je hulpvraag aanneemt",
    HELP_REQUEST_STARTED: "de vrijwilliger die aan je hulpvraag begint",
    HELP_REQUEST_DONE: "je hulpvraag die klaar is",
    HELP_REQUEST_RELEASED: "je hulpvraag die weer openstaat voor vrijwilligers",
    HELP_REQUEST_ESCALATED: "je hulpvraag die naar een professioneel team gaat",
    INITIATIVE_SIGNUP_CONFIRMED: "een bevestigde plek bij een initiatief",
    INITIATIVE_SIGNUP_WAITLISTED: "een plek op een wachtlijst",
    INITIATIVE_SIGNUP_PROMOTED: "een plek die voor je is vrijgekomen",
    INITIATIVE_RESCHEDULED: "nieuwe data van een initiatief waarvoor je bent aangemeld",
    INITIATIVE_CANCELLED: "een geannuleerd initiatief waarvoor je bent aangemeld",
    CARE_SWAP_PROPOSED: "diensten die anderen je vragen over te nemen",
    CARE_GAP_POSTED: "diensten van je zorgnetwerk die naar vrijwilligers gaan",
    HELD_REQUEST_STARTING_SOON: "herinneringen aan hulpvragen die je op je nam en die zo beginnen",
    VOG_EXPIRING: "herinneringen dat je VOG binnenkort verloopt",
    CARE_SHIFT_TOMORROW: "herinneringen aan je diensten, de avond ervoor",
    ESCALATION_OVERDUE: "casussen van je team die over hun bevestigingstijd zijn",
    VOG_REVIEWS_WAITING: "VOG's die op beoordeling wachten",
    HELP_REQUEST_DIGEST: "het dagelijkse overzicht van nieuwe hulpvragen",
  },
  initiativeKind: {
    ACTIVITY: "een activiteit",
    MEETING_PLACE: "een ontmoetingsplek",
    COURSE: "een cursus",
    SERVICE: "een spreekuur",
    PARTICIPATION_PLACE: "een participatieplek",
  },
  unsubscribePage: {
    title: "Afmelden",
    question: "Wil je geen e-mails meer ontvangen over {kind}?",
    button: "Geen e-mails meer",
    done: "Gelukt: je krijgt geen e-mails meer over {kind}. Je kunt ze in je instellingen weer aanzetten.",
    invalid: "Deze link is niet (meer) geldig.",
  },
  digest: {
    item: "- {category} in {neighbourhood}{urgent, select, true { (dringend)} other {}}",
    more: "en {count, plural, one {nog # andere} other {nog # andere}}",
  },
};
