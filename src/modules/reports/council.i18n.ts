/** The report's words in Dutch and English (the page is not a GraphQL error: its own small dictionary). */
export type Lang = "nl" | "en";

type WordKey =
  | "title"
  | "intro"
  | "area"
  | "city"
  | "withheld"
  | "none"
  | "trend"
  | "trendCaption"
  | "comparison"
  | "comparisonCaption"
  | "teams"
  | "teamsCaption"
  | "month"
  | "quarter"
  | "neighbourhood"
  | "requests"
  | "matched"
  | "volunteers"
  | "mantelzorgers"
  | "participation"
  | "team"
  | "cases"
  | "inNorm"
  | "ackHours"
  | "closeDays"
  | "overdue"
  | "byTrigger"
  | "byOutcome"
  | "total"
  | "cost"
  | "costIntro"
  | "example"
  | "what"
  | "count"
  | "tariff"
  | "estimate"
  | "pending"
  | "csv"
  | "hours"
  | "informal"
  | "informalCaption"
  | "norms"
  | "firstContact"
  | "closing"
  | "met"
  | "missed"
  | "openOverdue"
  | "buddies"
  | "programme"
  | "waiting"
  | "buddyMatched"
  | "started"
  | "ended"
  | "endedWell"
  | "meanDays"
  | "circles"
  | "activeCircles"
  | "intensive";

export type Words = Record<WordKey, string>;

export const WORDS: Record<Lang, Words> = {
  nl: {
    title: "Raadsinformatie Zorgzaam {year}",
    intro:
      "Cijfers per wijk en maand over hulpvragen, vrijwilligers en de inzet van professionele teams. Een cijfer dat op minder dan {n} mensen rust, is afgeschermd; totalen over een afgeschermd cijfer zijn ook afgeschermd. Lopende maanden worden niet gepubliceerd.",
    area: "Gebied",
    city: "Hele gemeente",
    withheld: "afgeschermd",
    none: "geen",
    trend: "Hulpvragen per maand",
    trendCaption: "Hulpvragen per maand, alle wijken samen (alleen maanden waarin elk wijkcijfer gepubliceerd is).",
    comparison: "Hulpvragen per wijk",
    comparisonCaption: "Hulpvragen per wijk over het jaar (alleen wijken waarvan elk maandcijfer gepubliceerd is).",
    teams: "Reactietijden van de teams",
    teamsCaption: "Mediaan aantal uren tot bevestiging per team.",
    month: "Maand",
    quarter: "Kwartaal",
    neighbourhood: "Wijk",
    requests: "Hulpvragen",
    matched: "Aandeel opgepakt door het informele netwerk",
    volunteers: "Actieve vrijwilligers",
    mantelzorgers: "Ondersteunde mantelzorgers",
    participation: "Bezetting participatieplekken",
    team: "Team",
    cases: "Casussen",
    inNorm: "Bevestigd binnen de norm",
    ackHours: "Mediaan uren tot bevestiging",
    closeDays: "Mediaan dagen tot afsluiting",
    overdue: "Nu over de norm",
    byTrigger: "Per aanleiding",
    byOutcome: "Per uitkomst",
    total: "Totaal",
    cost: "Geschatte professionele kosten",
    costIntro: "Een schatting: aantal maal tarief. De tarieven staan naast elke schatting.",
    example: "Voorbeeldtarieven: dit zijn geen echte prijzen van een gemeente.",
    what: "Wat",
    count: "Aantal",
    tariff: "Tarief",
    estimate: "Schatting",
    pending: "Nog niet beschikbaar (wordt gebouwd): {names}.",
    csv: "Download als CSV",
    hours: "uren",
    informal: "Uren informele hulp",
    informalCaption:
      "Uren informele hulp per maand, alle wijken samen: door vrijwilligers geregistreerde uren en gehouden diensten in zorgcirkels (alleen maanden waarin elk wijkcijfer gepubliceerd is).",
    norms: "Normen van de teams",
    firstContact: "Eerste contact",
    closing: "Afsluiting",
    met: "binnen de norm",
    missed: "buiten de norm",
    openOverdue: "open, over de norm",
    buddies: "Maatjesprojecten",
    programme: "Project",
    waiting: "Wachtend",
    buddyMatched: "Lopende koppelingen",
    started: "Gestart",
    ended: "Beëindigd",
    endedWell: "Goed afgerond",
    meanDays: "Gemiddelde duur (dagen)",
    circles: "Zorgcirkels en mantelzorgers",
    activeCircles: "Actieve zorgcirkels",
    intensive: "Intensief belaste mantelzorgers",
  },
  en: {
    title: "Council information Zorgzaam {year}",
    intro:
      "Figures per neighbourhood and month on help requests, volunteers and the work of professional teams. A figure resting on fewer than {n} people is withheld; totals over a withheld figure are withheld too. Running months are not published.",
    area: "Area",
    city: "Whole municipality",
    withheld: "withheld",
    none: "none",
    trend: "Help requests per month",
    trendCaption: "Help requests per month, all neighbourhoods together (only months in which every neighbourhood's figure is published).",
    comparison: "Help requests per neighbourhood",
    comparisonCaption: "Help requests per neighbourhood over the year (only neighbourhoods whose every monthly figure is published).",
    teams: "Team response times",
    teamsCaption: "Median hours to acknowledge per team.",
    month: "Month",
    quarter: "Quarter",
    neighbourhood: "Neighbourhood",
    requests: "Help requests",
    matched: "Share taken up by the informal network",
    volunteers: "Active volunteers",
    mantelzorgers: "Mantelzorgers supported",
    participation: "Participation places in use",
    team: "Team",
    cases: "Cases",
    inNorm: "Acknowledged within the norm",
    ackHours: "Median hours to acknowledge",
    closeDays: "Median days to close",
    overdue: "Overdue now",
    byTrigger: "By trigger",
    byOutcome: "By outcome",
    total: "Total",
    cost: "Estimated professional cost",
    costIntro: "An estimate: count times tariff. The tariffs are shown beside every estimate.",
    example: "Example tariffs: these are not a municipality's real prices.",
    what: "What",
    count: "Count",
    tariff: "Tariff",
    estimate: "Estimate",
    pending: "Not yet available (being built): {names}.",
    csv: "Download as CSV",
    hours: "hours",
    informal: "Hours of informal help",
    informalCaption:
      "Hours of informal help per month, all neighbourhoods together: hours recorded by volunteers and shifts held in care circles (only months in which every neighbourhood's figure is published).",
    norms: "Team norms",
    firstContact: "First contact",
    closing: "Closing",
    met: "within the norm",
    missed: "outside the norm",
    openOverdue: "open, overdue",
    buddies: "Buddy programmes",
    programme: "Programme",
    waiting: "Waiting",
    buddyMatched: "Running matches",
    started: "Started",
    ended: "Ended",
    endedWell: "Ended well",
    meanDays: "Mean duration (days)",
    circles: "Care circles and mantelzorgers",
    activeCircles: "Active care circles",
    intensive: "Intensively loaded mantelzorgers",
  },
};

/** ?lang= first, then the first of Accept-Language that is nl or en; Dutch by default. */
export function langOf(query: string | null, acceptLanguage: string | undefined): Lang {
  if (query === "nl" || query === "en") return query;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === "nl" || tag === "en") return tag;
  }
  return "nl";
}

export const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ""));
