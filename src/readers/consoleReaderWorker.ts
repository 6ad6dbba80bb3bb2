/**
 * Entry of the console reader thread (src/readers/consoleReader.ts): answers the console's
 * metrics, the Prometheus exposition, the forecast, the contact search, the Response Info
 * panel from its own read-only connection, and the visualizer's replays of a stored
 * contact or an uploaded file, so their work (which grows with the follow-ups in range,
 * the bot's contacts, a contact's history or the file) never blocks the event loop. Each
 * answer is one read transaction: a consistent snapshot of committed data.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { RuntimeError } from '../runtime/errors.ts';
import { openReadOnlyDatabase } from '../store/db.ts';
import { Store } from '../store/store.ts';
import { CommittedState, type ReadServices } from './committedState.ts';
import { readFailureOf, type ConsoleReadReply, type ConsoleReadRequest } from './consoleReaderProtocol.ts';
import { buildForecast } from '../console/forecast.ts';
import { responseInfo } from '../console/info.ts';
import { botMetrics, prometheusText } from '../console/metrics.ts';
import { searchContacts } from '../console/search.ts';
import { buildExport } from '../viz/exportFile.ts';
import { answerImport } from '../viz/importRead.ts';
import { HistoryReader, type ContactHistory } from '../viz/reader.ts';
import { replayHistory } from '../viz/replay.ts';
import { buildTimeline, whatIfView } from '../viz/timeline.ts';

const port = parentPort;
if (!port) throw new Error('consoleReaderWorker.ts runs as a worker thread (src/readers/consoleReader.ts starts it)');
const { dbPath } = workerData as { dbPath: string };

const db = openReadOnlyDatabase(dbPath);
// SQLite's default page cache (2 MiB): a large range's scan reads more pages than any cache
// here would hold, it is off the event loop anyway, and a bigger cache would only add to
// the process's memory while the thread lives.

// The Store prepares its writes too; on this read-only connection they could only fail, and
// nothing here calls them.
const store = new Store(db);
const services: ReadServices = { store, runtime: new CommittedState(store) };
const utf8 = new TextEncoder();
const histories = new HistoryReader(db);

function historyOf(contactId: string): ContactHistory {
  const history = histories.history(contactId);
  if (!history) throw new RuntimeError('not_found', `contact ${contactId} not found`);
  return history;
}

const heapMiB = () => Math.round((getHeapStatistics().total_heap_size / 1_048_576) * 10) / 10;

const answer = (id: number, compute: () => unknown): ConsoleReadReply => {
  try {
    const value = db.transaction(compute)();
    return { type: 'answer', id, ok: true, value, heapMiB: heapMiB() };
  } catch (error) {
    return { type: 'answer', id, ok: false, ...readFailureOf(error), heapMiB: heapMiB() };
  }
};

function forecast(message: Extract<ConsoleReadRequest, { type: 'forecast' }>) {
  const online = new Set(message.online);
  const asked = new Set<string>();
  const presence =
    message.online === null
      ? null
      : {
          isConnected(contactId: string): boolean {
            asked.add(contactId);
            return online.has(contactId);
          },
        };
  const value = buildForecast(services, message.botId, {
    hours: message.hours,
    limit: message.limit,
    now: message.now,
    presence,
  });
  return { forecast: value, asked: [...asked] };
}

port.on('message', (message: ConsoleReadRequest) => {
  if (message.type === 'stop') {
    db.close();
    port.close();
    return;
  }
  const reply = answer(message.id, () => compute(message));
  port.postMessage(reply, reply.ok && reply.value instanceof Uint8Array ? [reply.value.buffer as ArrayBuffer] : []);
});

function compute(message: Exclude<ConsoleReadRequest, { type: 'stop' }>): unknown {
  switch (message.type) {
    case 'botMetrics':
      return botMetrics(db, message.botId, message.from, message.to);
    case 'prometheus':
      return prometheusText(db, message.bots);
    case 'forecast':
      return forecast(message);
    case 'search':
      return searchContacts(store, message.botId, message.query, message.now);
    // The visualizer's answers are megabytes for a long history: sent as UTF-8 JSON whose
    // memory moves to the event loop (transferred, not copied) and goes out as it is,
    // instead of an object graph the loop would rebuild and then serialize again.
    case 'vizTimeline':
      return utf8.encode(JSON.stringify(buildTimeline(historyOf(message.contactId), 'database')));
    case 'vizWhatIf':
      return utf8.encode(
        JSON.stringify(
          whatIfView(historyOf(message.contactId), message.afterSeq, message.event, { policy: message.policy }),
        ),
      );
    case 'vizExport': {
      const history = historyOf(message.contactId);
      return utf8.encode(
        JSON.stringify(
          buildExport(history, replayHistory(history), { now: message.now, redact: message.redact }),
          null,
          2,
        ),
      );
    }
    case 'vizImport':
      return utf8.encode(answerImport(message.body, message.kind));
    case 'responseInfo': {
      const { online } = message;
      const presence =
        online === null ? null : { isConnected: (contactId: string) => contactId === message.contactId && online };
      return responseInfo(services, message.contactId, {
        now: message.now,
        presence,
        operatorId: message.operatorId,
        botIds: message.botIds,
      });
    }
  }
}
