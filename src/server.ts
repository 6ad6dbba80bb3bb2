/**
 * The whole service on one port: REST API, webhooks, live-chat WebSocket, widget demo and
 * console. `startServer` is what `npm start` and the integration tests run.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBotConfig } from './config/botConfig.ts';
import { systemClock, type Clock } from './clock.ts';
import { newSecret } from './ids.ts';
import { adminTokenVerifier, hashSecret } from './http/auth.ts';
import { registerApi } from './http/api.ts';
import { registerBackupRoute } from './http/backupRoute.ts';
import { Errors, installErrorHandling, sendError } from './http/errors.ts';
import { parseJsonBody } from './http/jsonBody.ts';
import type { NudgeServices } from './services.ts';
import { bootCore, type BootedCore, type StartupTimings } from './boot.ts';
import { createChatGateway, type ChatGateway, type GatewayLimits } from './gateway/chatGateway.ts';
import { assetRoutes } from './web/assetRoutes.ts';
import { ServiceMetrics } from './metrics/serviceMetrics.ts';
import { timed } from './metrics/timed.ts';
import { loadOrCreateVisitorSecret } from './gateway/visitorToken.ts';
import { createChatBackend } from './livechat/backend.ts';
import { startBuiltInResponder, type BuiltInResponder } from './livechat/responder.ts';
import { buildChannelAdapters, channelsConfigFromEnv, type ChannelsConfig } from './channels/config.ts';
import { channelModes, type ChannelModes } from './channels/modes.ts';
import { OutboxDispatcher } from './channels/dispatcher.ts';
import { WebhookAdapter } from './channels/webhookOut.ts';
import { parseOutboundAllow, setOutboundPolicy } from './net/outboundGuard.ts';
import { clientAddress, parseTrustProxy } from './net/trustProxy.ts';
import { metaWebhookRoutes, smsWebhookRoutes } from './channels/webhooks.ts';
import type { ChannelAdapter, Channel } from './channels/types.ts';
import { createInboundSink } from './delivery/inboundSink.ts';
import { ConsoleNotificationAdapter, LiveChatAdapter } from './delivery/localAdapters.ts';
import type { Presence } from './delivery/planSend.ts';
import { operatorTokenVerifier } from './console/operators.ts';
import { ConsoleReader } from './readers/consoleReader.ts';
import { registerConsole } from './console/routes.ts';
import { webhookSecretFor } from './console/secrets.ts';
import { attachConsoleSocket } from './console/consoleSocket.ts';
import { VizReplays } from './readers/replayThread.ts';
import { registerVizRoutes } from './viz/routes.ts';
import type { ClassifierStack } from './runtime/classifierStack.ts';
import { newLogId, silentLogger, type Logger } from './log.ts';
import { logFollowUpOutcomes } from './runtime/followUpLog.ts';

/** How long closing waits for the classifier's threads to stop. */
const CLASSIFIER_CLOSE_MS = 2000;

/** WebSocket paths with their own upgrade handlers (live chat, console). */
const HANDLED_UPGRADE_PATHS = new Set(['/ws/chat', '/ws/console']);

export interface ServerOptions {
  dataDir: string;
  port?: number;
  host?: string;
  clock?: Clock;
  adminToken?: string;
  ollamaHost?: string | null;
  ollamaModel?: string;
  ollamaTimeoutMs?: number;
  /** Worker threads for the rules classifier (default 0: on the event loop). */
  classifyThreads?: number;
  /** Where the service logs (`npm start`: built from the environment, src/log.ts); default: nowhere. */
  logger?: Logger | false;
  /** A core already opened by `bootCore` (npm start opens it before importing this module). */
  core?: BootedCore;
  /** Tests may supply the classification stack instead of probing Ollama. */
  classifierStack?: ClassifierStack;
  /** The built-in bot answers inbound messages (off for businesses with their own bot). */
  responder?: boolean;
  chatLimits?: Partial<GatewayLimits>;
  /** Channel providers (Twilio, Meta); defaults to the environment (SMS to the log adapter). */
  channels?: ChannelsConfig;
  /** Extra or replacement outbound adapters (tests point them at fakes). */
  adapters?: Partial<Record<Channel, ChannelAdapter>>;
  /**
   * Private hosts and networks bot and workflow webhooks may reach (NUDGE_OUTBOUND_ALLOW's
   * form; default: that variable). Tests with receivers on 127.0.0.1 set it explicitly.
   */
  outboundAllow?: string | string[];
  /** The reverse proxies to believe about the client's address (NUDGE_TRUST_PROXY's form; default: that variable). */
  trustProxy?: string;
  /** Signing secret for outgoing workflow webhooks, per bot. */
  webhookSecretFor?: (botId: string | undefined) => string | null;
}

export interface RunningServer {
  app: FastifyInstance;
  services: NudgeServices;
  url: string;
  adminToken: string;
  demoBotId: string;
  classifier: ClassifierStack;
  gateway: ChatGateway;
  responder: BuiltInResponder | null;
  dispatcher: OutboxDispatcher;
  startup: ServerStartup;
  /** Which channels really send (SMS log-only, Meta channels connected or not). */
  channels: ChannelModes;
  close(): Promise<void>;
}

/** Start-up milestones in ms since the process started (`GET /api/health`, the banner). */
export interface ServerStartup extends StartupTimings {
  /** Listening, with the scheduler firing and the dispatcher running. */
  servingMs: number | null;
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
  // bootCore creates the data directory (here, or in main.ts before this module loads).
  const clock = options.clock ?? systemClock;
  const log = options.logger || silentLogger();
  const core =
    options.core ??
    (await bootCore({
      dataDir: options.dataDir,
      clock,
      ollamaHost: options.ollamaHost,
      ollamaModel: options.ollamaModel,
      ollamaTimeoutMs: options.ollamaTimeoutMs,
      classifyThreads: options.classifyThreads,
      classifierStack: options.classifierStack,
      onSchedulerError: (err) => log.error({ err }, 'scheduler delivery failed'),
      onMigration: (line) => log.info({ component: 'store' }, `migration: ${line}`),
    }));
  const { services } = core;
  let classifier: ClassifierStack;
  try {
    classifier = await core.classifier;
  } catch (error) {
    await services.close();
    throw error;
  }
  const adminToken = resolveAdminToken(options.dataDir, options.adminToken);
  const channels = options.channels ?? channelsConfigFromEnv(process.env);
  // One policy per process: config validation and the webhook adapter read the same one.
  setOutboundPolicy(parseOutboundAllow(options.outboundAllow ?? process.env.NUDGE_OUTBOUND_ALLOW));
  let presence: Presence | null = null;
  const startup: ServerStartup = Object.assign(core.timings, { servingMs: null });

  const demoBotId = ensureDemoBot(services);
  // One answer to "who is the client" for the API and the live-chat limits (src/net/trustProxy.ts).
  const trustProxy = parseTrustProxy(options.trustProxy ?? process.env.NUDGE_TRUST_PROXY);
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    genReqId: () => newLogId('req'),
    bodyLimit: 256 * 1024,
    ...(trustProxy ? { trustProxy } : {}),
  });
  installErrorHandling(app);
  // While draining (close()), new requests are refused at once with a retry hint, so a load
  // balancer moves on; requests already running finish.
  let draining = false;
  app.addHook('onRequest', async (_request, reply) => {
    if (!draining) return;
    reply.header('connection', 'close').header('retry-after', '5');
    return sendError(reply, Errors.shuttingDown('the server is restarting; retry in a few seconds'));
  });
  // The API speaks JSON only; a text/plain body is refused with 415, not read as a string.
  app.removeContentTypeParser('text/plain');
  // JSON bodies must be valid UTF-8 (invalid bytes are refused, never stored as U+FFFD), and
  // free of prototype keys (src/http/jsonBody.ts).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    const parsed = parseJsonBody(body as Buffer);
    if (parsed.ok) done(null, parsed.value);
    else done(Errors.invalidJson(parsed.message), undefined);
  });
  const metrics = new ServiceMetrics();
  const consoleReader = new ConsoleReader(services);
  const vizReplays = new VizReplays(services);
  app.addHook('onClose', () => vizReplays.close());
  app.get('/api/health', async () => ({
    status: 'ok',
    classifier: { mode: classifier.mode, reason: classifier.reason, threads: classifier.threads?.() ?? null },
    scheduler: { inMemory: services.scheduler.inMemory, nextDueAt: services.scheduler.nextDue()?.due_at ?? null },
    storage: services.storageStatus(),
    consoleReader: consoleReader.stats(),
    vizReplays: vizReplays.stats(),
    startup,
  }));
  const verifiers = [adminTokenVerifier(hashSecret(adminToken)), operatorTokenVerifier(services.db)];
  registerApi(app, services, verifiers);
  registerBackupRoute(app, services, verifiers, options.dataDir);
  await registerConsole(app, services, {
    verifiers,
    presence: { isConnected: (id) => presence?.isConnected(id) ?? false },
    consoleReader,
    channels: channelModes(channels),
    processMetrics: () => metrics.text(),
  });
  registerVizRoutes(app, services, verifiers, vizReplays);
  await assetRoutes(app, { demoWidgetKey: () => services.store.getBot(demoBotId)?.widget_key ?? '' });

  services.committer.onCommit = (ms) => metrics.observeCommit(ms);
  core.observeClassification((ms) => metrics.observeClassification(ms));
  services.scheduler.bindDelivery((ref) => {
    metrics.observeTimerLateness(clock.now() - ref.due_at);
    return services.runtime.deliverDue(ref);
  });
  let kickOutbox = () => {};
  const chatBackend = createChatBackend(services.runtime, services.store, { onOutbox: () => kickOutbox() });
  // The ack waits for exactly this: the message classified and committed.
  const backend: typeof chatBackend = {
    ...chatBackend,
    acceptInbound: timed(chatBackend.acceptInbound.bind(chatBackend), (ms) =>
      metrics.observeChatAck(ms),
    ) as typeof chatBackend.acceptInbound,
  };
  const gateway = createChatGateway({
    server: app.server,
    backend,
    secret: loadOrCreateVisitorSecret(join(options.dataDir, 'visitor-secret')),
    // Heartbeats and rate limits measure the network in real time, whatever clock the
    // follow-ups run on (tests drive that one by hand).
    clock: systemClock,
    limits: options.chatLimits,
    clientIp: clientAddress(trustProxy),
    logger: log.child({ component: 'chat' }),
  });
  presence = gateway.presence;
  core.bindPresence(gateway.presence);

  // Delivery retries and send timeouts are network concerns, measured in real time.
  const dispatcher = new OutboxDispatcher({
    log: (line) => log.error({ component: 'dispatcher' }, line),
    outbox: services.store.outbox,
    clock: systemClock,
    adapters: {
      livechat: new LiveChatAdapter(services.store),
      console: new ConsoleNotificationAdapter(),
      webhook: new WebhookAdapter({
        secretFor: options.webhookSecretFor ?? webhookSecretFor(services.db, () => clock.now()),
        clock: systemClock,
      }),
      ...buildChannelAdapters(channels, { clock, logger: log.child({ component: 'sms' }) }),
      ...options.adapters,
    },
  });
  services.setOutboxListener(() => dispatcher.kick());
  kickOutbox = () => dispatcher.kick();
  const stopFollowUpLog = logFollowUpOutcomes(services.runtime, services.store, log.child({ component: 'followups' }));
  const sink = createInboundSink({
    runtime: services.runtime,
    store: services.store,
    channels,
    clock,
    onOutbox: () => dispatcher.kick(),
  });
  await app.register(smsWebhookRoutes, { sink, clock });
  await app.register(metaWebhookRoutes, { sink, clock });
  const responder =
    options.responder === false
      ? null
      : startBuiltInResponder({
          runtime: services.runtime,
          ollama: classifier.ollama ?? null,
          onTyping: (contactId, typing) => backend.emitTyping(contactId, typing),
          onError: (err) => log.error({ err, component: 'responder' }, 'responder failed'),
        });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  // Upgrades nobody claims (not /ws/chat, not the console) are refused, not left hanging.
  app.server.on('upgrade', (request, socket) => {
    const path = (request.url ?? '').split('?')[0];
    if (!HANDLED_UPGRADE_PATHS.has(path)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  allowOwnOrigins(services, demoBotId, port as number);
  const consoleSocket = attachConsoleSocket(app.server, services, verifiers);
  services.scheduler.start();
  const retentionLog = log.child({ component: 'retention' });
  services.retention.start({
    onRun: (report) => {
      if (report.batches > 0) retentionLog.info(report, 'history past retention deleted');
    },
    onError: (err) => retentionLog.error({ err }, 'retention run failed'),
  });
  dispatcher.start();
  startup.servingMs = performance.now();

  let closed = false;
  return {
    app,
    services,
    url: `http://${host}:${port}`,
    adminToken,
    demoBotId,
    classifier,
    gateway,
    responder,
    dispatcher,
    startup,
    channels: channelModes(channels),
    async close() {
      if (closed) return;
      closed = true;
      draining = true;
      services.scheduler.stop();
      responder?.stop();
      stopFollowUpLog();
      // Each step is timed at debug level: a slow drain says where it waited.
      const step = async (name: string, run: () => Promise<unknown> | undefined) => {
        const started = performance.now();
        await run();
        log.debug({ component: 'shutdown', step: name, ms: Math.round(performance.now() - started) }, 'drained');
      };
      await step('console sockets', () => consoleSocket.close());
      await step('live chat', () => gateway.close());
      await step('responder', () => responder?.idle());
      await step('outbox', () => dispatcher.stop());
      await step('http', () => app.close());
      await step('store', () => services.close());
      // The classifier holds nothing durable: its threads get a moment to stop, and the
      // process's exit ends one still starting (a thread boots its loader first).
      await step('classifier', () =>
        Promise.race([
          classifier.close?.(),
          new Promise((resolve) => setTimeout(resolve, CLASSIFIER_CLOSE_MS).unref()),
        ]),
      );
    },
  };
}

/** The demo page is served by Nudge itself, so the demo bot accepts the service's own origins. */
function allowOwnOrigins(services: NudgeServices, botId: string, port: number): void {
  const bot = services.store.getBot(botId);
  if (!bot) return;
  const origins = new Set(JSON.parse(bot.allowed_origins) as string[]);
  const before = origins.size;
  origins.add(`http://localhost:${port}`);
  origins.add(`http://127.0.0.1:${port}`);
  if (origins.size !== before) services.store.updateBotOrigins(botId, [...origins], services.clock.now());
}

/** One demo bot with defaults, created on first start; its widget key is printed. */
function ensureDemoBot(services: NudgeServices): string {
  const existing = services.store.getKv('demo_bot_id');
  if (existing && services.store.getBot(existing)) return existing;
  const bot = services.createBot(defaultBotConfig('Harbor Street Bikes'), []);
  services.store.setKv('demo_bot_id', bot.id);
  return bot.id;
}
