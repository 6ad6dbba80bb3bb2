/**
 * Entry of the metrics reader thread (src/console/metricsReader.ts): answers the console's
 * metrics and the Prometheus exposition from its own read-only connection, so their scans
 * (which grow with the follow-ups in range, or with all history) never block the event
 * loop. Each answer is one read transaction: a consistent snapshot of committed data.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { botMetrics, prometheusText } from './metrics.ts';
import type { MetricsReply, MetricsRequest } from './metricsProtocol.ts';

const port = parentPort;
if (!port) throw new Error('metricsWorker.ts runs as a worker thread (src/console/metricsReader.ts starts it)');
const { dbPath } = workerData as { dbPath: string };

const db = new Database(dbPath, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
// SQLite's default page cache (2 MiB): a large range's scan reads more pages than any cache
// here would hold, it is off the event loop anyway, and a bigger cache would only add to
// the process's memory while the thread lives.

const answer = (id: number, compute: () => unknown): MetricsReply => {
  try {
    return { type: 'answer', id, ok: true, value: db.transaction(compute)() };
  } catch (error) {
    return { type: 'answer', id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
};

port.on('message', (message: MetricsRequest) => {
  if (message.type === 'stop') {
    db.close();
    port.close();
    return;
  }
  const reply =
    message.type === 'botMetrics'
      ? answer(message.id, () => botMetrics(db, message.botId, message.from, message.to))
      : answer(message.id, () => prometheusText(db, message.bots));
  port.postMessage(reply);
});
