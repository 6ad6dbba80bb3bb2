/**
 * Request plumbing for every bearer-protected route: registered in an encapsulated context,
 * it authenticates each request in an `onRequest` hook (401 before the body is read),
 * decorates the request with its `principal`, and decorates the context with `scope`, the
 * one place that answers "may this principal use this bot, contact or follow-up". Anything
 * outside the principal's bots answers 404 exactly like something that does not exist, so a
 * token learns nothing about other bots. Routes in the context only declare routes.
 */
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { BotRow, ContactRow, FollowUpRow } from '../store/store.ts';
import { authenticate, mayUseBot, type Principal, type TokenVerifier } from './auth.ts';
import { Errors } from './errors.ts';
import { pathId } from './parse.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request; set by the principal plugin's `onRequest` hook in its context. */
    principal: Principal;
  }
  interface FastifyInstance {
    /** The scope checks of the authenticated context (src/http/principal.ts). */
    scope: Scope;
  }
}

/** Where the scope checks read bots, contacts and follow-ups (the Store, or a read-only reader). */
export interface ScopeLookup {
  getBot(id: string): BotRow | undefined;
  listBots(): BotRow[];
  getContact(id: string): ContactRow | undefined;
  getFollowUp(id: string): FollowUpRow | undefined;
}

/** What the authenticated request may use; every miss is a 404 worded like a missing row. */
export class Scope {
  constructor(private readonly lookup: ScopeLookup) {}

  /** The bot `id` (default: the `:id` path parameter) if the principal may use it. */
  bot(request: FastifyRequest, id: string = pathId(request)): BotRow {
    const bot = mayUseBot(request.principal, id) ? this.lookup.getBot(id) : undefined;
    if (!bot) throw Errors.notFound(`bot ${id} not found`);
    return bot;
  }

  /** The bots the principal may use, in the store's order. */
  bots(request: FastifyRequest): BotRow[] {
    return this.lookup.listBots().filter((bot) => mayUseBot(request.principal, bot.id));
  }

  /** The contact `id` (default: the `:id` path parameter) if it belongs to a bot the principal may use. */
  contact(request: FastifyRequest, id: string = pathId(request)): ContactRow {
    const contact = this.lookup.getContact(id);
    if (!contact || !mayUseBot(request.principal, contact.bot_id)) throw Errors.notFound(`contact ${id} not found`);
    return contact;
  }

  /** The follow-up `id` (default: the `:id` path parameter) if its contact is in scope. */
  followUp(request: FastifyRequest, id: string = pathId(request)): FollowUpRow {
    const row = this.lookup.getFollowUp(id);
    if (!row) throw Errors.notFound(`follow-up ${id} not found`);
    this.contact(request, row.contact_id);
    return row;
  }
}

/** An `onRequest` hook for a context only admins may use: 403 "only an admin can <action>". */
export function adminOnly(action: string): onRequestAsyncHookHandler {
  return async (request) => {
    if (!request.principal.admin) throw Errors.forbidden(`only an admin can ${action}`);
  };
}

export interface PrincipalOptions {
  verifiers: TokenVerifier[];
  lookup: ScopeLookup;
}

async function principalPlugin(app: FastifyInstance, options: PrincipalOptions): Promise<void> {
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorate('scope', new Scope(options.lookup));
  app.addHook('onRequest', async (request) => {
    request.principal = authenticate(request, options.verifiers);
  });
}

/**
 * Register inside an encapsulated context (`app.register(async (api) => { await
 * api.register(principal, …); … })`): its hook and decorators reach that context's routes only.
 */
export const principal = fp(principalPlugin, { fastify: '5.x', name: 'nudge-principal' });
