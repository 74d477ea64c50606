/**
 * Domain events after commit. Payloads carry ids, never data: a subscriber reloads what it may see
 * through the services, with its own rights. Each module names its topics and kinds in its own
 * `<module>.events.ts`.
 */
export interface EventBus {
  publish(topic: string, payload: EventPayload): void;
  subscribe(topic: string): AsyncIterable<EventPayload>;
  close(): Promise<void>;
}

export interface EventPayload {
  id: string;
  kind: string;
  /** Position in the event log (see Outbox); absent only for signals that are not logged. */
  seq?: number;
}
