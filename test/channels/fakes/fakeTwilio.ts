/**
 * A Twilio-compatible Messages API on 127.0.0.1 for tests: records what was sent, dedups by
 * the I-Twilio-Idempotency-Token header (a repeat gets the first answer back and is not
 * recorded again) and can be scripted to fail, hang or reject numbers like Twilio does.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelsConfig } from '../../../src/channels/config.ts';

export interface FakeTwilioMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  idempotencyToken: string | null;
  statusCallback: string | null;
}

type Scripted = { kind: 'fail'; status: number; code: number; retryAfter?: string } | { kind: 'hang'; record: boolean };

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** Delay before answering (after recording), ms; a function for random latencies. */
  latencyMs?: number | (() => number);
}

export interface FakeTwilio {
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Unique messages accepted, in arrival order. */
  readonly messages: FakeTwilioMessage[];
  /** Every POST to Messages.json, including retries, failures and duplicates. */
  readonly requests: { token: string | null; to: string | null; outcome: string }[];
  /** The next `n` requests answer `status` with a Twilio error body (e.g. 429 with Retry-After). */
  failNext(n: number, status: number, opts?: { code?: number; retryAfter?: string }): void;
  /** The next `n` requests are never answered; by default they are recorded first (the provider got them). */
  hangNext(n: number, opts?: { record?: boolean }): void;
  /** Messages to this number get a 400 with the given Twilio code (21211, 21610, 21614...). */
  rejectNumber(number: string, code: number): void;
  /** Called when a message is recorded (first time for its token). */
  onMessage?: (msg: FakeTwilioMessage, count: number) => void;
  close(): Promise<void>;
}

const ERROR_TEXT: Record<number, string> = {
  20003: 'Authenticate',
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
  21211: "The 'To' number is not a valid phone number.",
  21604: "A 'To' phone number is required.",
  21602: 'Message body is required.',
  21610: 'Attempt to send to unsubscribed recipient',
  21614: "'To' number is not a valid mobile number",
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeTwilio(opts: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = opts.accountSid ?? 'AC00000000000000000000000000000001';
  const authToken = opts.authToken ?? 'fake-twilio-auth-token';
  const messages: FakeTwilioMessage[] = [];
  const requests: FakeTwilio['requests'] = [];
  const script: Scripted[] = [];
  const rejected = new Map<string, number>();
  const byToken = new Map<string, FakeTwilioMessage>();
  const hung: ServerResponse[] = [];
  let counter = 0;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const twilioError = (res: ServerResponse, status: number, code: number, headers: Record<string, string> = {}) =>
    json(
      res,
      status,
      { code, message: ERROR_TEXT[code] ?? 'Error', more_info: `https://www.twilio.com/docs/errors/${code}`, status },
      headers,
    );
  const resource = (m: FakeTwilioMessage) => ({
    sid: m.sid,
    account_sid: accountSid,
    to: m.to,
    from: m.from,
    body: m.body,
    status: 'queued',
  });
  const delay = () => {
    const ms = typeof opts.latencyMs === 'function' ? opts.latencyMs() : (opts.latencyMs ?? 0);
    return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
  };

  const fake: FakeTwilio = {
    url: '',
    accountSid,
    authToken,
    messages,
    requests,
    failNext(n, status, o = {}) {
      const code = o.code ?? (status === 429 ? 20429 : 20500);
      for (let i = 0; i < n; i++) script.push({ kind: 'fail', status, code, retryAfter: o.retryAfter });
    },
    hangNext(n, o = {}) {
      for (let i = 0; i < n; i++) script.push({ kind: 'hang', record: o.record ?? true });
    },
    rejectNumber(number, code) {
      rejected.set(number, code);
    },
    close: async () => {},
  };

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method !== 'POST' || path !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
      return json(res, 404, { code: 20404, message: 'The requested resource was not found', status: 404 });
    }
    const body = await readBody(req);
    const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    const token = (req.headers['i-twilio-idempotency-token'] as string | undefined) ?? null;
    const form = new URLSearchParams(body);
    const to = form.get('To');
    const log = (outcome: string) => requests.push({ token, to, outcome });
    if (req.headers.authorization !== expectedAuth) {
      log('401');
      return twilioError(res, 401, 20003);
    }
    if (!to) {
      log('400 21604');
      return twilioError(res, 400, 21604);
    }
    if (!form.get('Body')) {
      log('400 21602');
      return twilioError(res, 400, 21602);
    }
    const seen = token ? byToken.get(token) : undefined;
    if (seen) {
      log('201 duplicate');
      await delay();
      return json(res, 201, resource(seen));
    }
    const step = script.shift();
    if (step?.kind === 'fail') {
      log(`${step.status} scripted`);
      return twilioError(res, step.status, step.code, step.retryAfter ? { 'retry-after': step.retryAfter } : {});
    }
    const code = rejected.get(to);
    if (code !== undefined) {
      log(`400 ${code}`);
      return twilioError(res, 400, code);
    }
    const record = step?.kind !== 'hang' || step.record;
    if (record) {
      const msg: FakeTwilioMessage = {
        sid: `SM${String(++counter).padStart(32, '0')}`,
        to,
        from: form.get('From'),
        messagingServiceSid: form.get('MessagingServiceSid'),
        body: form.get('Body') ?? '',
        idempotencyToken: token,
        statusCallback: form.get('StatusCallback'),
      };
      messages.push(msg);
      if (token) byToken.set(token, msg);
      fake.onMessage?.(msg, messages.length);
      if (step?.kind === 'hang') {
        log('hang (recorded)');
        hung.push(res);
        return;
      }
      log('201');
      await delay();
      if (!res.destroyed) json(res, 201, resource(msg));
      return;
    }
    log('hang');
    hung.push(res);
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

/** Channels for a server whose SMS goes to `twilio` and whose Meta channels are off. */
export function twilioChannels(twilio: FakeTwilio, publicUrl: string): ChannelsConfig {
  return {
    publicUrl,
    sms: {
      provider: 'twilio',
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: '+15005550006',
      baseUrl: twilio.url,
      timeoutMs: 2000,
    },
    meta: {
      appSecret: null,
      verifyToken: null,
      baseUrl: 'http://127.0.0.1:9',
      timeoutMs: 1000,
      facebook: null,
      instagram: null,
      whatsapp: null,
    },
  };
}
