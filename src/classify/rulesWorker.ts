/**
 * Entry of a classifier worker thread (the local classifier, local.ts) (src/classify/rulesThreads.ts). It answers each
 * batch in order, `REPLY_CHUNK` answers per message, so the event loop goes on with the
 * first answers while the thread classifies the rest; a request's failure (bad input) is
 * returned as its own error and never affects the others. `stop` is answered after every
 * batch posted before it.
 */
import { parentPort } from 'node:worker_threads';
import { classifyLocal, warmUpLocal } from './local.ts';
import { REPLY_CHUNK, type ThreadMessage, type ThreadReply, type ThreadRequest } from './rulesThreadProtocol.ts';

const port = parentPort;
if (!port) throw new Error('rulesWorker.ts runs as a worker thread (src/classify/rulesThreads.ts starts it)');

port.on('message', (message: ThreadRequest) => {
  if (message.type === 'stop') {
    port.close();
    return;
  }
  let replies: ThreadReply[] = [];
  for (const { id, text, now, timezone } of message.batch) {
    try {
      replies.push({ id, ok: true, value: classifyLocal({ text, now, timezone }) });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      replies.push({ id, ok: false, name: e.name, message: e.message });
    }
    if (replies.length === REPLY_CHUNK) {
      port.postMessage({ type: 'results', replies } satisfies ThreadMessage);
      replies = [];
    }
  }
  if (replies.length) port.postMessage({ type: 'results', replies } satisfies ThreadMessage);
});

// Load the model, compile the patterns and optimise the code now, not on the first contacts' messages.
warmUpLocal();
port.postMessage({ type: 'ready' });
