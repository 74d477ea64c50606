/** How the care module runs; defaults in app.services.ts, overridden per deployment and in tests. */
export interface CareSettings {
  horizonWeeks: number;
  gapLeadHours: number;
  invitationTtlHours: number;
  sustainedOverloadDays: number;
  /** This many missed shifts within `missedShiftsDays` days raise a MISSED_SHIFTS signal for the circle. */
  missedShiftsLimit: number;
  missedShiftsDays: number;
  publicUrl: string;
}
