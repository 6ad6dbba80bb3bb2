/**
 * The whole service on one port: REST API, webhooks, live-chat WebSocket, widget demo and
 * console. `startServer` is what `npm start` and the integration tests run.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBotConfig } from './config/botConfig.ts';
import { systemClock, type Clock } from './clock.ts';
import { newSecret } from './ids.ts';
import { adminTokenVerifier, hashSecret } from './http/auth.ts';
import { registerApi } from './http/api.ts';
import { installErrorHandling } from './http/errors.ts';
import { createServices, type NudgeServices } from './services.ts';
import type { ClassifierStack } from './runtime/classifierStack.ts';

export interface ServerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  clock?: Clock;
  adminToken?: string;
  ollamaHost?: string | null;
  ollamaModel?: string;
  ollamaTimeoutMs?: number;
  logger?: boolean;
  /** Tests may supply the classification stack instead of probing Ollama. */
  classifierStack?: ClassifierStack;
}

export interface RunningServer {
  app: FastifyInstance;
  services: NudgeServices;
  url: string;
  adminToken: string;
  demoBotId: string;
  classifier: ClassifierStack;
  close(): Promise<void>;
}

/** The admin token: NUDGE_ADMIN_TOKEN, else one generated once and kept under the data dir. */
function resolveAdminToken(dataDir: string, explicit?: string): string {
  if (explicit) return explicit;
  const file = join(dataDir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const token = newSecret('nat', 24);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const clock = options.clock ?? systemClock;
  const adminToken = resolveAdminToken(options.dataDir, options.adminToken);
  const classifier = options.classifierStack ??
    await (await import('./runtime/classifierStack.ts')).createClassifierStack({
    host: options.ollamaHost === undefined ? 'http://127.0.0.1:11434' : options.ollamaHost,
    model: options.ollamaModel ?? 'llama3.2',
    timeoutMs: options.ollamaTimeoutMs ?? 2500,
  });
  const services = createServices({
    dbPath: join(options.dataDir, 'nudge.sqlite'),
    clock,
    classify: classifier.classify,
    compose: classifier.compose,
    onSchedulerError: (error) => console.error('scheduler delivery failed:', error),
  });

  const demoBotId = ensureDemoBot(services);
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 256 * 1024 });
  installErrorHandling(app);
  // The API speaks JSON only; a text/plain body is refused with 415, not read as a string.
  app.removeContentTypeParser('text/plain');
  app.get('/api/health', async () => ({
    status: 'ok',
    classifier: { mode: classifier.mode, reason: classifier.reason },
    scheduler: { inMemory: services.scheduler.inMemory, nextDueAt: services.scheduler.nextDue()?.due_at ?? null },
  }));
  registerApi(app, services, [adminTokenVerifier(hashSecret(adminToken))]);

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  services.scheduler.start();

  let closed = false;
  return {
    app,
    services,
    url: `http://${host}:${port}`,
    adminToken,
    demoBotId,
    classifier,
    async close() {
      if (closed) return;
      closed = true;
      services.scheduler.stop();
      await app.close();
      await services.close();
    },
  };
}

/** One demo bot with defaults, created on first start; its widget key is printed. */
function ensureDemoBot(services: NudgeServices): string {
  const existing = services.store.getKv('demo_bot_id');
  if (existing && services.store.getBot(existing)) return existing;
  const bot = services.createBot(defaultBotConfig('Demo Salon'), []);
  services.store.setKv('demo_bot_id', bot.id);
  return bot.id;
}
