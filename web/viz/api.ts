/** The page's HTTP client: bearer token from sessionStorage, JSON errors turned into messages. */
import type { MachineGraphWithLayout, TimelineView, WhatIfView } from '../../src/viz/types.ts';

const TOKEN_KEY = 'nudge.viz.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
  },
  clear(): void {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = tokenStore.get();
  const response = await fetch(path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const textBody = await response.text();
  let json: unknown = null;
  try {
    json = textBody ? JSON.parse(textBody) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(
      response.status,
      err?.code ?? 'http_error',
      err?.message ?? `${method} ${path} failed with HTTP ${response.status}`,
    );
  }
  return json as T;
}

const enc = encodeURIComponent;

export const api = {
  graph: () => call<MachineGraphWithLayout>('GET', '/api/machine/graph'),
  history: (contactId: string) => call<TimelineView>('GET', `/api/contacts/${enc(contactId)}/history`),
  whatIf: (contactId: string, body: unknown) =>
    call<WhatIfView>('POST', `/api/contacts/${enc(contactId)}/what-if`, body),
  exportText: async (contactId: string, redact: boolean) => {
    const token = tokenStore.get();
    const response = await fetch(`/api/contacts/${enc(contactId)}/export${redact ? '?redact=true' : ''}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const body = await response.text();
    if (!response.ok) {
      let message = `export failed with HTTP ${response.status}`;
      try {
        message = (JSON.parse(body) as { error: { message: string } }).error.message;
      } catch {
        /* keep the generic message */
      }
      throw new ApiError(response.status, 'export_failed', message);
    }
    const disposition = response.headers.get('content-disposition') ?? '';
    const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `nudge-contact-${contactId}.json`;
    return { body, name };
  },
  importFile: (text: string) => call<TimelineView>('POST', '/api/viz/import', text),
  /** What-if against an imported file (the file travels with the request; nothing is stored). */
  importWhatIf: (fileText: string, body: Record<string, unknown>) =>
    call<WhatIfView>('POST', '/api/viz/import/what-if', { file: JSON.parse(fileText) as unknown, ...body }),
  bots: () => call<{ bots: Array<{ id: string; name: string }> }>('GET', '/api/bots'),
  contacts: (botId: string) =>
    call<{ contacts: Array<{ id: string; name: string | null; state: string; updatedAt: string }> }>(
      'GET',
      `/api/bots/${enc(botId)}/contacts?limit=50`,
    ),
};
