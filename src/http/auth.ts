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

/** Bots outside the operator's scope answer 404, exactly like bots that do not exist. */
export function assertBotAccess(principal: Principal, botId: string): void {
  if (principal.botIds !== null && !principal.botIds.includes(botId)) {
    throw Errors.notFound(`bot ${botId} not found`);
  }
}
