/**
 * The console's HTTP client. The operator token lives in sessionStorage (this tab only,
 * gone when the tab closes) and goes out as `Authorization: Bearer`; it is also stored
 * under the visualizer's key so the "open in visualizer" link does not ask again. The
 * answers' types come from the OpenAPI document (`apiTypes.ts`, `npm run gen:api`).
 */
import type { Scenario } from '../../machines/vocabulary.ts';
import type { components } from './apiTypes.ts';

const TOKEN_KEY = 'nudge.console.token';
const VIZ_TOKEN_KEY = 'nudge.viz.token';

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

// The shapes the page reads, named after the document's component schemas.
type Schemas = components['schemas'];
export type FieldMessage = Schemas['FieldMessage'];
export type Me = Schemas['Me'];
export type Contact = Schemas['ContactListItem'];
export type Zoned = Schemas['Zoned'];
export type Prediction = Schemas['Prediction'];
export type Trigger = Schemas['Trigger'];
export type FollowUp = Schemas['FollowUp'];
export type PendingFollowUp = Schemas['PendingFollowUp'];
export type Message = Schemas['Message'];
export type ResponseInfo = Schemas['ResponseInfo'];
export type Notification = Schemas['Notification'];
export type Bot = Schemas['Bot'];
export type BotConfig = Schemas['BotConfig'];
export type ScenarioConfig = BotConfig['scenarios'][Scenario];
export type Step = ScenarioConfig['cadence'][number];
export type Duration = Step['delay'];
export type MessageSpec = ScenarioConfig['message'];
export type WorkflowAction = ScenarioConfig['workflow'][number];
export type Operator = Schemas['Operator'];
export type Install = Schemas['BotInstall'];
export type Forecast = Schemas['Forecast'];
export type Metrics = Schemas['Metrics'];

export const api = {
  me: (token?: string) => call<Me>('GET', '/api/me', undefined, token ?? tokenStore.get()),
  bot: (id: string) => call<Bot>('GET', `/api/bots/${enc(id)}`),
  createBot: (name: string) => call<Bot>('POST', '/api/bots', { name }),
  validateConfig: (id: string, config: unknown) =>
    call<Schemas['ConfigVerdict']>('POST', `/api/bots/${enc(id)}/config/validate`, { mode: 'replace', config }),
  saveConfig: (id: string, config: unknown) => call<Bot>('PUT', `/api/bots/${enc(id)}/config`, config),
  install: (id: string) => call<Install>('GET', `/api/bots/${enc(id)}/install`),
  setOrigins: (id: string, allowedOrigins: string[]) =>
    call<Install>('PUT', `/api/bots/${enc(id)}/origins`, { allowedOrigins }),
  patchConfig: (id: string, patch: Partial<BotConfig>) => call<Bot>('PATCH', `/api/bots/${enc(id)}/config`, patch),
  secrets: (id: string) => call<Schemas['BotSecrets']>('GET', `/api/bots/${enc(id)}/secrets`),
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
  ) => call<Schemas['ContactPage']>('GET', `/api/bots/${enc(botId)}/contacts/search${qs(params)}`),
  info: (contactId: string) => call<ResponseInfo>('GET', `/api/contacts/${enc(contactId)}/info`),
  forecast: (botId: string, hours: number) => call<Forecast>('GET', `/api/bots/${enc(botId)}/forecast${qs({ hours })}`),
  metrics: (botId: string, from?: string, to?: string) =>
    call<Metrics>('GET', `/api/bots/${enc(botId)}/metrics${qs({ from, to })}`),
  notifications: (params: { botId?: string; before?: number; limit?: number }) =>
    call<Schemas['NotificationPage']>('GET', `/api/notifications${qs(params)}`),
  markRead: (upTo: number) => call<Schemas['ReadMark']>('POST', '/api/notifications/read', { upTo }),
  send: (contactId: string, text: string, sender: 'bot' | 'operator') =>
    call('POST', `/api/contacts/${enc(contactId)}/messages/outbound`, { text, sender }),
  signal: (contactId: string, action: 'booked' | 'booking-cancelled' | 'opt-in' | 'stop' | 'handback') =>
    call('POST', `/api/contacts/${enc(contactId)}/${action}`),
  cancelFollowUp: (id: string) => call('POST', `/api/followups/${enc(id)}/cancel`),
  sendNow: (id: string) => call('POST', `/api/followups/${enc(id)}/send-now`),
  reschedule: (id: string, at: string) => call('POST', `/api/followups/${enc(id)}/reschedule`, { at }),
  operators: () => call<Schemas['OperatorList']>('GET', '/api/operators'),
  createOperator: (body: { name: string; admin: boolean; botIds: string[] }) =>
    call<Schemas['OperatorToken']>('POST', '/api/operators', body),
  grant: (operatorId: string, botId: string) =>
    call<Operator>('POST', `/api/operators/${enc(operatorId)}/bots`, { botId }),
  revoke: (operatorId: string, botId: string) =>
    call<Operator>('DELETE', `/api/operators/${enc(operatorId)}/bots/${enc(botId)}`),
  rotateToken: (operatorId: string) =>
    call<Schemas['OperatorToken']>('POST', `/api/operators/${enc(operatorId)}/token`),
  deleteOperator: (operatorId: string) => call('DELETE', `/api/operators/${enc(operatorId)}`),
};
