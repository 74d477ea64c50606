import type { TeamKind } from "../places/place.tables.js";

/**
 * Where a case goes. The rules of the source texts, in one readable place:
 * - younger than 16: the jeugdteam of the area;
 * - 16 and 17: the jeugdteam leads, the sociaal wijkteam joins (the 16-27 transition);
 * - 18 to 27: the sociaal wijkteam leads, the jeugdteam joins (16-27);
 * - 28 and older, or age unknown: the sociaal wijkteam of the area.
 */
export function route(age: number | null): { lead: TeamKind; co: TeamKind | null; note: string } {
  if (age === null) return { lead: "SOCIAL_TEAM", co: null, note: "Age unknown: sociaal wijkteam of the area." };
  if (age < 16) return { lead: "YOUTH_TEAM", co: null, note: "Under 16: jeugdteam of the area." };
  if (age < 18) return { lead: "YOUTH_TEAM", co: "SOCIAL_TEAM", note: "16-17 (transition 16-27): jeugdteam leads, sociaal wijkteam joins." };
  if (age <= 27) return { lead: "SOCIAL_TEAM", co: "YOUTH_TEAM", note: "18-27 (transition 16-27): sociaal wijkteam leads, jeugdteam joins." };
  return { lead: "SOCIAL_TEAM", co: null, note: "Adult: sociaal wijkteam of the area." };
}

/** Age band shown in a pseudonymised case. */
export function ageBand(age: number | null): string {
  if (age === null) return "unknown";
  if (age < 12) return "0-11";
  if (age < 16) return "12-15";
  if (age < 18) return "16-17";
  if (age <= 27) return "18-27";
  if (age < 45) return "28-44";
  if (age < 65) return "45-64";
  if (age < 80) return "65-79";
  return "80+";
}
