/**
 * A Graph-API-compatible `/v19.0/{id}/messages` endpoint on 127.0.0.1 for tests. It
 * answers in the WhatsApp Cloud API shape when the body says messaging_product=whatsapp,
 * else in the Messenger Send API shape, checks the bearer token, records what was sent and
 * can be scripted to fail (Graph error bodies), hang, or reject a recipient.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGraphMessage {
  id: string;
  senderId: string;
  recipient: string;
  text: string;
  body: Record<string, unknown>;
  idempotencyKey: string | null;
}

export interface GraphFailure {
  status: number;
  code: number;
  subcode?: number;
  message?: string;
  isTransient?: boolean;
  retryAfter?: string;
}

type Scripted = ({ kind: 'fail' } & GraphFailure) | { kind: 'hang' };

export interface FakeGraph {
  readonly url: string;
  readonly accessToken: string;
  readonly messages: FakeGraphMessage[];
  readonly requests: { path: string; outcome: string }[];
  failNext(n: number, failure: GraphFailure): void;
  hangNext(n: number): void;
  rejectRecipient(recipient: string, failure: GraphFailure): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeGraph(opts: { accessToken?: string } = {}): Promise<FakeGraph> {
  const accessToken = opts.accessToken ?? 'fake-graph-token';
  const messages: FakeGraphMessage[] = [];
  const requests: FakeGraph['requests'] = [];
  const script: Scripted[] = [];
  const rejected = new Map<string, GraphFailure>();
  const hung: ServerResponse[] = [];
  let counter = 0;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const graphError = (res: ServerResponse, f: GraphFailure) =>
    json(
      res,
      f.status,
      {
        error: {
          message: f.message ?? `(#${f.code}) scripted failure`,
          type: 'OAuthException',
          code: f.code,
          ...(f.subcode !== undefined ? { error_subcode: f.subcode } : {}),
          ...(f.isTransient !== undefined ? { is_transient: f.isTransient } : {}),
          fbtrace_id: 'FAKE',
        },
      },
      f.retryAfter ? { 'retry-after': f.retryAfter } : {},
    );

  const fake: FakeGraph = {
    url: '',
    accessToken,
    messages,
    requests,
    failNext(n, failure) {
      for (let i = 0; i < n; i++) script.push({ kind: 'fail', ...failure });
    },
    hangNext(n) {
      for (let i = 0; i < n; i++) script.push({ kind: 'hang' });
    },
    rejectRecipient(recipient, failure) {
      rejected.set(recipient, failure);
    },
    close: async () => {},
  };

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const match = /^\/v19\.0\/([^/]+)\/messages$/.exec(path);
    const log = (outcome: string) => requests.push({ path, outcome });
    if (req.method !== 'POST' || !match) {
      log('404');
      return graphError(res, { status: 404, code: 803, message: 'Unknown path' });
    }
    const raw = await readBody(req);
    if (req.headers.authorization !== `Bearer ${accessToken}`) {
      log('401');
      return graphError(res, { status: 401, code: 190, message: 'Invalid OAuth access token.' });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      log('400 json');
      return graphError(res, { status: 400, code: 100, message: 'Invalid JSON' });
    }
    const whatsapp = body.messaging_product === 'whatsapp';
    const recipient = whatsapp
      ? (body.to as string | undefined)
      : ((body.recipient as { id?: string } | undefined)?.id ?? undefined);
    const text = whatsapp
      ? (body.text as { body?: string } | undefined)?.body
      : (body.message as { text?: string } | undefined)?.text;
    if (!recipient || typeof text !== 'string') {
      log('400 params');
      return graphError(res, { status: 400, code: 100, message: '(#100) The parameter recipient/text is required' });
    }
    const step = script.shift();
    if (step?.kind === 'fail') {
      log(`${step.status} scripted`);
      return graphError(res, step);
    }
    if (step?.kind === 'hang') {
      log('hang');
      hung.push(res);
      return;
    }
    const reject = rejected.get(recipient);
    if (reject) {
      log(`${reject.status} rejected`);
      return graphError(res, reject);
    }
    const id = whatsapp ? `wamid.FAKE${++counter}` : `m_FAKE${++counter}`;
    messages.push({
      id,
      senderId: match[1],
      recipient,
      text,
      body,
      idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null,
    });
    log('200');
    if (whatsapp) {
      return json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: recipient, wa_id: recipient.replace(/^\+/, '') }],
        messages: [{ id }],
      });
    }
    return json(res, 200, { recipient_id: recipient, message_id: id });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  (fake as { url: string }).url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
