/** Event-log topics of the escalation module. */
export const escalationTopics = {
  raised: (teamId: string) => `escalation.raised.${teamId}`,
  changed: (id: string) => `escalation.changed.${id}`,
};
