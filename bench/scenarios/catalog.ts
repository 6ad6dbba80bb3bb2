/** The benchmark scenarios by name, in the order `npm run bench` runs them (no heavy imports). */
export const SCENARIO_DESCRIPTIONS = {
  events: 'inbound contact messages: rules classify + transition + durable group commit, 10k contacts, 512 in flight',
  reschedule: 'reply resets the cadence (cancel + re-arm): one at a time and 256 in flight',
  million: '1,000,000 pending follow-ups on disk: create time, fresh-process start to next-due known, RSS',
  lateness: '20,000 follow-ups due within 10 s: scheduler firing lateness and due → committed send',
  outbox: 'outbox deliveries/s: dispatcher + Twilio-compatible SMS adapter to a fake provider on loopback',
  livechat: '1,000 live widget connections on loopback: inbound messages/s, ack round trip, RSS per connection',
  classify:
    'the local classifier (intent model + rules) on the event loop: model load, per-call latency over the corpus',
  floors:
    "what each part of an event costs alone: its SQL statements recorded and replayed (SQLite's own limit), its rules classification, its machine step",
} as const;

export type ScenarioName = keyof typeof SCENARIO_DESCRIPTIONS;
export const SCENARIO_NAMES = Object.keys(SCENARIO_DESCRIPTIONS) as ScenarioName[];
