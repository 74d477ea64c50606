/** How the care module runs; defaults in app.services.ts, overridden per deployment and in tests. */
export interface CareSettings {
  horizonWeeks: number;
  gapLeadHours: number;
  invitationTtlHours: number;
  /** At most this many invitations sent by e-mail per circle in any 24 hours (CARE_EMAIL_INVITATIONS_PER_DAY). */
  emailInvitationsPerDay?: number;
  /** The web app people sign in to (APP_URL): where an e-mailed invitation's join link points. Default publicUrl. */
  appUrl?: string;
  sustainedOverloadDays: number;
  /** This many missed shifts within `missedShiftsDays` days raise a MISSED_SHIFTS signal for the circle. */
  missedShiftsLimit: number;
  missedShiftsDays: number;
  publicUrl: string;
}
