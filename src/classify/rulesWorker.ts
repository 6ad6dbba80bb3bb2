/**
 * Entry of a rules-classifier worker thread (src/classify/rulesThreads.ts). It answers each
 * batch in order with one message; a request's failure (bad input) is returned as its own
 * error and never affects the others. `stop` is answered after every batch posted before it.
 */
import { parentPort } from 'node:worker_threads';
import { classifyRules, warmUpRules } from './rules.ts';
import type { ThreadReply, ThreadRequest } from './rulesThreadProtocol.ts';

const port = parentPort;
if (!port) throw new Error('rulesWorker.ts runs as a worker thread (src/classify/rulesThreads.ts starts it)');

port.on('message', (message: ThreadRequest) => {
  if (message.type === 'stop') {
    port.close();
    return;
  }
  const replies: ThreadReply[] = message.batch.map(({ id, text, now, timezone }) => {
    try {
      return { id, ok: true, value: classifyRules({ text, now, timezone }) };
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      return { id, ok: false, name: e.name, message: e.message };
    }
  });
  port.postMessage({ type: 'results', replies });
});

// Compile the patterns and optimise the code now, not on the first contacts' messages.
warmUpRules();
port.postMessage({ type: 'ready' });
