/**
 * Bearer tokens to principals: the verifiers (the admin token here, operator tokens in
 * src/console/operators.ts) and `authenticate`, which the principal plugin
 * (src/http/principal.ts) runs on every protected request. Only hashes of secrets are kept,
 * compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Errors } from './errors.ts';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Principal {
  operatorId: string;
  admin: boolean;
  /** null = every bot (admin). */
  botIds: string[] | null;
}

export interface TokenVerifier {
  verify(token: string): Principal | null;
}

/** The admin token: only its hash is kept in memory and in the database. */
export function adminTokenVerifier(adminTokenHash: string): TokenVerifier {
  return {
    verify(token) {
      return sameHash(hashSecret(token), adminTokenHash) ? { operatorId: 'admin', admin: true, botIds: null } : null;
    },
  };
}

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

export function authenticate(request: FastifyRequest, verifiers: TokenVerifier[]): Principal {
  const token = bearerToken(request);
  if (!token) throw Errors.unauthorized('missing bearer token (Authorization: Bearer <token>)');
  for (const verifier of verifiers) {
    const principal = verifier.verify(token);
    if (principal) return principal;
  }
  throw Errors.unauthorized('invalid token');
}

/** Whether the principal may use the bot (admins: every bot). */
export function mayUseBot(principal: Principal, botId: string): boolean {
  return principal.botIds === null || principal.botIds.includes(botId);
}
