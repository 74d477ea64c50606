/** Word lists for invented people and requests. Every name here is invented; any likeness is chance. */

export const FIRST_NAMES = [
  "Anna", "Henk", "Fatima", "Mohammed", "Sanne", "Eva", "Jan", "Kees", "Willem", "Johanna", "Maria", "Cornelia",
  "Gerrit", "Hendrik", "Pieter", "Klaas", "Dirk", "Wilhelmina", "Geertje", "Aaltje", "Bram", "Daan", "Lotte",
  "Emma", "Julia", "Sophie", "Noah", "Luuk", "Finn", "Mila", "Tess", "Yara", "Sem", "Levi", "Ayoub", "Youssef",
  "Khadija", "Meryem", "Emre", "Elif", "Zeynep", "Mustafa", "Aylin", "Priya", "Ravi", "Anil", "Sunita", "Kwame",
  "Abena", "Tomasz", "Agnieszka", "Katarzyna", "Piotr", "Olena", "Dmytro", "Ahmad", "Rania", "Samira", "Jesse",
  "Ruud", "Marco", "Ingrid", "Petra", "Monique", "Bas", "Thijs", "Roos", "Femke", "Nadia", "Joost", "Marleen",
  "Truus", "Riet", "Bep", "Gerda", "Toos", "Nel", "Wim", "Cor", "Arie", "Leen", "Teun", "Fenna", "Ilse",
];

export const LAST_NAMES = [
  "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer",
  "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
  "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan",
  "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin", "van der Heijden",
  "Schouten", "van Beek", "Willems", "van Vliet", "El Amrani", "Yilmaz", "Kaya", "Demir", "Bouzid", "Haddou",
  "Kowalski", "Nowak", "Wiśniewska", "Kovalenko", "Ramdin", "Soekhlal", "Mensah", "Boateng", "Martins", "Rossi",
];

export const STREETS = [
  "Krispijnseweg", "Bosboom-Toussaintstraat", "Dubbeldamseweg", "Vrieseweg", "Nassauweg", "Wantijkade",
  "Brouwersdijk", "Singel", "Voorstraat", "Wijnstraat", "Spuiweg", "Merwedestraat", "Reeweg", "Laan der VN",
  "Patersweg", "Noordendijk", "Karel Doormanweg", "Sterrenburgweg", "Admiraal de Ruyterweg", "Mijlweg",
  "Groenmarkt", "Kasperspad", "Blekersdijk", "Weeskinderendijk", "Zuidendijk", "Heer Heymansuyl",
];

export const LANGUAGES = ["en", "ar", "tr", "pl", "de", "fr", "uk", "so", "ti", "es"];

/** Titles per category code, in the words residents use. */
export const TITLES: Record<string, string[]> = {
  GROCERIES: ["Boodschappen op dinsdag", "Boodschappen halen", "Weekboodschappen", "Even naar de apotheek", "Boodschappen na mijn operatie"],
  TRANSPORT: ["Rit naar het ziekenhuis", "Lift naar de huisarts", "Vervoer naar de fysio", "Naar de markt", "Rit naar het Albert Schweitzer"],
  ODD_JOBS: ["Lamp ophangen", "Tuin winterklaar maken", "Plank ophangen", "Gordijnen ophangen", "Kastje in elkaar zetten"],
  COMPANY: ["Kopje koffie samen", "Wandelingetje maken", "Gezelschap op zondag", "Samen een spelletje", "Even een praatje"],
  PAPERWORK: ["Hulp met post", "Formulier toeslagen", "Belastingaangifte", "Brief van de gemeente", "Rekeningen op orde"],
  DIGITAL: ["Hulp met DigiD", "Videobellen met kleinkinderen", "Nieuwe telefoon instellen", "Tablet leren gebruiken", "Inloggen bij de bank"],
  LANGUAGE: ["Taalmaatje gezocht", "Nederlands oefenen", "Hulp bij inburgering", "Samen de krant lezen", "Gesprek oefenen"],
  YOUNG_PARENTS: ["Oppas een middag", "Hulp na de bevalling", "Kinderen naar school brengen", "Even op adem komen", "Hulp met de kinderwagen"],
  RESPITE: ["Zorg overnemen een middag", "Bij mijn moeder zijn", "Een dagdeel respijt", "Oppas voor mijn vader", "Even vrij van mantelzorg"],
};

export const DESCRIPTION_OPENINGS = [
  "Ik loop slecht sinds mijn operatie",
  "Mijn dochter woont ver weg",
  "Ik ben sinds kort weduwe",
  "Mijn buurvrouw helpt meestal, maar die is op vakantie",
  "Ik heb net een nieuwe heup",
  "Ik zorg voor mijn man en kom er zelf niet aan toe",
  "Ik woon hier pas en ken nog niemand",
  "Mijn ogen worden slechter",
  "Ik heb geen auto en de bus is lastig",
  "De wijkverpleging komt pas volgende week",
];

export const DESCRIPTION_ASKS = [
  "Wie kan mij hiermee helpen?",
  "Het duurt ongeveer een uur.",
  "Koffie staat klaar.",
  "Graag iemand die geduld heeft.",
  "Ik betaal de boodschappen natuurlijk zelf.",
  "Bel gerust aan, de bel doet het.",
  "Liefst in de ochtend.",
  "Ik spreek ook Engels.",
];
