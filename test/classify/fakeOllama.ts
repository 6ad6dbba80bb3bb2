/**
 * A small Ollama-compatible HTTP server for tests (127.0.0.1, port 0): /api/version,
 * /api/tags and /api/chat, with the chat answer scripted per test. Records every request so
 * tests can check what the real `ollama` client sent (model, format schema, temperature).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatReply {
  status?: number;
  /** The assistant message content (JSON text, or anything to simulate a bad model). */
  content?: string;
  /** Raw body to send instead of a normal chat response. */
  rawBody?: string;
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  body: any;
}

export interface FakeOllama {
  host: string;
  requests: RecordedRequest[];
  chat: (body: any) => ChatReply;
  models: string[];
  version: string;
  close(): Promise<void>;
}

export async function startFakeOllama(
  options: Partial<Pick<FakeOllama, 'chat' | 'models' | 'version'>> = {},
): Promise<FakeOllama> {
  const timers = new Set<NodeJS.Timeout>();
  const fake: FakeOllama = {
    host: '',
    requests: [],
    chat: options.chat ?? (() => ({ content: JSON.stringify({ intent: 'engaged', time_phrase: null }) })),
    models: options.models ?? ['llama3.2:latest'],
    version: options.version ?? '0.6.2',
    close: async () => {},
  };

  const send = (res: ServerResponse, status: number, body: string) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: any = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      fake.requests.push({ method: req.method ?? '', url: req.url ?? '', body });
      if (req.method === 'GET' && req.url === '/api/version')
        return send(res, 200, JSON.stringify({ version: fake.version }));
      if (req.method === 'GET' && req.url === '/api/tags') {
        return send(
          res,
          200,
          JSON.stringify({
            models: fake.models.map((name) => ({
              name,
              model: name,
              size: 1,
              digest: 'x',
              modified_at: '2026-01-01T00:00:00Z',
            })),
          }),
        );
      }
      if (req.method === 'POST' && req.url === '/api/chat') {
        const reply = fake.chat(body);
        const respond = () => {
          if (reply.rawBody !== undefined) return send(res, reply.status ?? 200, reply.rawBody);
          if ((reply.status ?? 200) !== 200)
            return send(res, reply.status!, JSON.stringify({ error: reply.content ?? 'internal error' }));
          send(
            res,
            200,
            JSON.stringify({
              model: body?.model ?? 'x',
              created_at: new Date(0).toISOString(),
              message: { role: 'assistant', content: reply.content ?? '' },
              done: true,
            }),
          );
        };
        if (reply.delayMs) {
          const t = setTimeout(() => {
            timers.delete(t);
            respond();
          }, reply.delayMs);
          timers.add(t);
        } else respond();
        return;
      }
      send(res, 404, JSON.stringify({ error: 'not found' }));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.host = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** A loopback port with nothing listening (for "connection refused"). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
