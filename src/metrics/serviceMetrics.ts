/**
 * Process and latency metrics in Prometheus's text format, through prom-client: the
 * default process metrics (CPU, RSS, heap, GC, event-loop lag, handles) and four
 * histograms — chat ack latency, timer lateness, classification time and commit time —
 * served by `GET /metrics` after the per-bot counters (src/console/metrics.ts).
 *
 * Process metrics are per process: they live in one registry for the process, collected
 * from the first server on. The histograms are per server (tests run several in a process).
 */
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

let processRegistry: Registry | null = null;

/**
 * prom-client's gauges of live handles, requests and resources carry a `_total` suffix, which
 * Prometheus reserves for counters (`promtool check metrics` refuses them); the same counts
 * stay in the `nodejs_active_handles`, `_requests` and `_resources` gauges, by type.
 */
const MISNAMED_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** The process's default metrics, registered once. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 20 });
    for (const name of MISNAMED_DEFAULTS) processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

/** Milliseconds to seconds: Prometheus's base unit. */
const seconds = (ms: number) => ms / 1000;

export class ServiceMetrics {
  private readonly registry = new Registry();

  /** Widget message received → stored and acknowledged (the ack frame's wait). */
  readonly chatAck = new Histogram({
    name: 'nudge_chat_ack_seconds',
    help: 'Live-chat messages from receipt to acknowledgement (classified and committed).',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** A follow-up's delivery, late against its due time (the scheduler's and the loop's delay). */
  readonly timerLateness = new Histogram({
    name: 'nudge_timer_lateness_seconds',
    help: 'Due follow-ups and timers: how late their delivery started after the due time.',
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 3600],
    registers: [this.registry],
  });

  readonly classification = new Histogram({
    name: 'nudge_classification_seconds',
    help: 'Classification of one inbound message (Ollama or rules, thread round trip included).',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly commit = new Histogram({
    name: 'nudge_commit_seconds',
    help: 'Group commits: one SQLite transaction holding a batch of events.',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });

  observeChatAck(ms: number): void {
    this.chatAck.observe(seconds(ms));
  }
  observeTimerLateness(ms: number): void {
    this.timerLateness.observe(seconds(Math.max(0, ms)));
  }
  observeClassification(ms: number): void {
    this.classification.observe(seconds(ms));
  }
  observeCommit(ms: number): void {
    this.commit.observe(seconds(ms));
  }

  /** The exposition of the process metrics and these histograms. */
  async text(): Promise<string> {
    const [process, own] = await Promise.all([processMetrics().metrics(), this.registry.metrics()]);
    return `${process.trimEnd()}\n${own}`;
  }
}
