/**
 * The console's HTTP client. The operator token lives in sessionStorage (this tab only,
 * gone when the tab closes) and goes out as `Authorization: Bearer`; it is also stored
 * under the visualizer's key so the "open in visualizer" link does not ask again.
 */
import type { Scenario } from '../../machines/vocabulary.ts';
import type { Review } from './review.ts';

const TOKEN_KEY = 'nudge.console.token';
const VIZ_TOKEN_KEY = 'nudge.viz.token';

export interface FieldMessage {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldMessage[] = [],
  ) {
    super(message);
  }
}

export const tokenStore = {
  get(): string | null {
    try {
      return sessionStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  set(token: string): void {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(VIZ_TOKEN_KEY, token);
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(VIZ_TOKEN_KEY);
  },
};

/** Called when any request answers 401 (token revoked or rotated): back to the login screen. */
let onUnauthorized: () => void = () => {};
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function call<T>(method: string, path: string, body?: unknown, token = tokenStore.get()): Promise<T> {
  const response = await fetch(path, {
    method,
    // A change sent while the page unloads (an undo window closing) must still arrive.
    keepalive: method !== 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
    if (response.status === 401) onUnauthorized();
    throw new ApiError(
      response.status,
      err?.code ?? 'http_error',
      err?.message ?? `${method} ${path} failed with HTTP ${response.status}`,
      Array.isArray(err?.details) ? (err!.details as FieldMessage[]) : [],
    );
  }
  return json as T;
}

const enc = encodeURIComponent;
const qs = (params: Record<string, string | number | undefined | null>) => {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
};

// Response shapes used by the page (only the fields it reads).
export interface Me {
  operator: { id: string; name: string; admin: boolean };
  bots: { id: string; name: string }[];
  /** Which channels really send; `warnings` says plainly what does not. */
  channels?: { sms: 'twilio' | 'log'; facebook: boolean; instagram: boolean; whatsapp: boolean; warnings: string[] };
}
export interface Contact {
  id: string;
  botId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  timezone: string | null;
  state: string;
  lastChannel: string;
  tags: string[];
  assignedUser: string | null;
  updatedAt: string;
  nextFollowUp?: { id: string; scenario: string; step: number; dueAt: string } | null;
  /** "Visitor 12": for contacts who left no name. */
  visitorNumber?: number | null;
  /** The city the contact's zone names, e.g. "Lisbon". */
  place?: string | null;
  /** The latest message, as a preview in the list. */
  lastMessage?: { from: string; text: string; at: string } | null;
  /** A held message waits for an operator's decision (review.ts). */
  needsReview?: boolean;
  review?: Review | null;
}
export interface Zoned {
  zone: string;
  local: string;
  source?: string;
}
export interface Prediction {
  kind: 'scheduled' | 'projected';
  followUpId: string | null;
  scenario: string;
  step: number;
  dueAt: string;
  dueInBusinessZone: Zoned | null;
  dueInContactZone: Zoned | null;
  sendAt: string | null;
  sendInBusinessZone: Zoned | null;
  sendInContactZone: Zoned | null;
  deferredBy: string[];
  channel: string;
  channelReason: string;
  switched: boolean;
  presence: string;
  alternative: { channel: string; reason: string } | null;
  outcome: 'send' | 'skip';
  skipReason: string | null;
  messageMode: string;
  messagePreview: string | null;
  workflow: { type: string; [k: string]: unknown }[];
  contact?: { id: string; name: string | null; phone: string | null; email: string | null; state: string };
  trigger?: Trigger | null;
}
export interface Trigger {
  messageId: string;
  from: string;
  text: string;
  at: string;
  classification: { intent?: string; phrase?: string; requestedAt?: number; [k: string]: unknown } | null;
}
export interface FollowUp {
  id: string;
  scenario: string;
  step: number;
  status: string;
  reason: string | null;
  actor: string | null;
  dueAt: string;
  deferReason: string | null;
  dueInBusinessZone: Zoned | null;
  dueInContactZone: Zoned | null;
  channel: string | null;
  channelReason: string | null;
  messageMode: string | null;
  sentAt: string | null;
  /** When the row last changed: for a cancelled or skipped follow-up, when that happened. */
  updatedAt?: string;
  trigger: Trigger | null;
}
export interface PendingFollowUp extends FollowUp {
  stepsInCadence: number;
  delay: string | null;
  operatorTimed: boolean;
  prediction: Prediction;
  projected: Prediction[];
}
export interface Message {
  id: string;
  seq: number;
  from: 'contact' | 'bot' | 'operator';
  channel: string;
  text: string;
  at: string;
  classification: { intent?: string; phrase?: string } | null;
  followUpId: string | null;
}
export interface ResponseInfo {
  contact: Contact;
  state: string;
  scenario: string | null;
  humanActive: boolean;
  context: {
    bookingLinkSent: boolean;
    cadenceComplete: string | null;
    requested: { at: string; phrase: string | null } | null;
  };
  /** Consent to SMS of a number typed into the widget; null when it was never asked. */
  smsConsent: {
    status: 'pending' | 'confirmed';
    phone: string;
    requestedAt: string;
    confirmedAt: string | null;
    source: string | null;
  } | null;
  bot: {
    id: string;
    name: string;
    active: boolean;
    timezone: string;
    channelSwitching: boolean;
    scenarioEnabled: boolean | null;
  };
  zones: { business: string; contact: string; contactZoneSource: string };
  presence: string;
  /** The server's clock (relative times are computed against it). */
  now: string;
  pendingFollowUps: PendingFollowUp[];
  botSilenceTimer: { dueAt: string; dueInBusinessZone: Zoned | null; meaning: string } | null;
  history: FollowUp[];
  conversation: { messages: Message[]; truncated: boolean };
  transitions: {
    entries: { seq: number; at: string; event: { type: string }; from: string; to: string }[];
    total: number;
  };
  appointments: {
    eventId: string | null;
    event: string;
    startsAt: string | null;
    title: string | null;
    receivedAt: string;
  }[];
  notifications: Notification[];
  /** What retention deleted of this contact's history (null: nothing). */
  historyPruned: {
    messagesBefore: string | null;
    followUpsBefore: string | null;
    transitionsThrough: number | null;
    transitionsBefore: string | null;
    prunedAt: string;
  } | null;
  links: { visualizer: string };
}
export interface Notification {
  id: number;
  botId: string;
  contactId: string | null;
  contactName: string | null;
  type: string;
  message: string | null;
  userId: string | null;
  scenario: string | null;
  step: number | null;
  channel: string;
  webhookUrl: string | null;
  delivery: { status: string; attempts: number; lastError: string | null } | null;
  at: string;
  unread: boolean;
}
export interface Bot {
  id: string;
  name: string;
  config: BotConfig;
  warnings: FieldMessage[];
}
export type Duration = string | { value: number; unit: 'seconds' | 'minutes' | 'hours' | 'days' };
export type MessageSpec = { mode: 'ai' } | { mode: 'custom'; text: string };
export interface WorkflowAction {
  type: string;
  tag?: string;
  userId?: string;
  webhookUrl?: string;
  message?: string;
}
export interface Step {
  delay: Duration;
  message?: MessageSpec;
  workflow?: WorkflowAction[];
}
export interface ScenarioConfig {
  enabled: boolean;
  cadence: Step[];
  message: MessageSpec;
  workflow: WorkflowAction[];
}
export interface BotConfig {
  name: string;
  active: boolean;
  timezone: string;
  workingHours: Record<string, { start: string; end: string }[]> | null;
  channelSwitching: boolean;
  bookingUrl: string | null;
  builtInResponder: boolean;
  inboundWebhookUrl: string | null;
  uncertainThreshold: number;
  onDoubt: 'hold' | 'treatAsEngaged';
  reviewWebhookUrl: string | null;
  followUpCapPer24h: number;
  botReplyTimeout: Duration;
  missedGrace: Duration;
  smsQuietHours: { start: string; end: string };
  widgetColor: string | null;
  scenarios: Record<Scenario, ScenarioConfig>;
}
export interface Operator {
  id: string;
  name: string;
  admin: boolean;
  botIds: string[] | null;
  createdAt: string;
}

/** GET /api/bots/:id/install: what the Install card shows. */
export interface Install {
  botId: string;
  widgetKey: string;
  businessName: string;
  widgetColor: string | null;
  allowedOrigins: string[];
  snippet: string;
  lastRefused: { origin: string | null; at: string; nowAllowed: boolean } | null;
}

export const api = {
  me: (token?: string) => call<Me>('GET', '/api/me', undefined, token ?? tokenStore.get()),
  bot: (id: string) => call<Bot>('GET', `/api/bots/${enc(id)}`),
  createBot: (name: string) => call<Bot>('POST', '/api/bots', { name }),
  validateConfig: (id: string, config: unknown) =>
    call<{ ok: boolean; errors: FieldMessage[]; warnings: FieldMessage[] }>(
      'POST',
      `/api/bots/${enc(id)}/config/validate`,
      { mode: 'replace', config },
    ),
  saveConfig: (id: string, config: unknown) => call<Bot>('PUT', `/api/bots/${enc(id)}/config`, config),
  install: (id: string) => call<Install>('GET', `/api/bots/${enc(id)}/install`),
  setOrigins: (id: string, allowedOrigins: string[]) =>
    call<Install>('PUT', `/api/bots/${enc(id)}/origins`, { allowedOrigins }),
  patchConfig: (id: string, patch: Partial<BotConfig>) => call<Bot>('PATCH', `/api/bots/${enc(id)}/config`, patch),
  secrets: (id: string) =>
    call<{ calendar: { secret: string; webhookPath: string }; webhook: { secret: string } }>(
      'GET',
      `/api/bots/${enc(id)}/secrets`,
    ),
  search: (
    botId: string,
    params: {
      q?: string;
      state?: string;
      dueWithinHours?: string;
      needsReview?: 'true';
      limit: number;
      offset: number;
      sort?: string;
    },
  ) =>
    call<{ contacts: Contact[]; total: number; limit: number; offset: number }>(
      'GET',
      `/api/bots/${enc(botId)}/contacts/search${qs(params)}`,
    ),
  info: (contactId: string) => call<ResponseInfo>('GET', `/api/contacts/${enc(contactId)}/info`),
  forecast: (botId: string, hours: number) =>
    call<{
      items: Prediction[];
      summary: Record<string, unknown> & { sends: number; skips: number; byChannel: Record<string, number> };
      from: string;
      to: string;
      businessZone: string;
      botActive: boolean;
      truncated: boolean;
    }>('GET', `/api/bots/${enc(botId)}/forecast${qs({ hours })}`),
  metrics: (botId: string, from?: string, to?: string) =>
    call<Metrics>('GET', `/api/bots/${enc(botId)}/metrics${qs({ from, to })}`),
  notifications: (params: { botId?: string; before?: number; limit?: number }) =>
    call<{ notifications: Notification[]; unread: number; nextBefore: number | null }>(
      'GET',
      `/api/notifications${qs(params)}`,
    ),
  markRead: (upTo: number) => call<{ lastReadId: number }>('POST', '/api/notifications/read', { upTo }),
  send: (contactId: string, text: string, sender: 'bot' | 'operator') =>
    call('POST', `/api/contacts/${enc(contactId)}/messages/outbound`, { text, sender }),
  signal: (contactId: string, action: 'booked' | 'booking-cancelled' | 'opt-in' | 'stop' | 'handback') =>
    call('POST', `/api/contacts/${enc(contactId)}/${action}`),
  cancelFollowUp: (id: string) => call('POST', `/api/followups/${enc(id)}/cancel`),
  sendNow: (id: string) => call('POST', `/api/followups/${enc(id)}/send-now`),
  reschedule: (id: string, at: string) => call('POST', `/api/followups/${enc(id)}/reschedule`, { at }),
  operators: () => call<{ operators: Operator[] }>('GET', '/api/operators'),
  createOperator: (body: { name: string; admin: boolean; botIds: string[] }) =>
    call<{ operator: Operator; token: string }>('POST', '/api/operators', body),
  grant: (operatorId: string, botId: string) =>
    call<Operator>('POST', `/api/operators/${enc(operatorId)}/bots`, { botId }),
  revoke: (operatorId: string, botId: string) =>
    call<Operator>('DELETE', `/api/operators/${enc(operatorId)}/bots/${enc(botId)}`),
  rotateToken: (operatorId: string) => call<{ token: string }>('POST', `/api/operators/${enc(operatorId)}/token`),
  deleteOperator: (operatorId: string) => call('DELETE', `/api/operators/${enc(operatorId)}`),
};

export interface Metrics {
  from: string;
  to: string;
  armed: { total: number; byScenario: Record<string, number> };
  sent: { total: number; byChannel: Record<string, number>; byScenario: Record<string, number> };
  skipped: { total: number; byReason: Record<string, number> };
  cancelled: { total: number; byReason: Record<string, number> };
  pendingNow: number;
  replyRate: { scenario: string; step: number; sent: number; replied: number; rate: number | null }[];
}
