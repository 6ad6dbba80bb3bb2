/**
 * `NUDGE_TRUST_PROXY`: which reverse proxies in front of the service may say who the client
 * is (`X-Forwarded-For`). Without it every visitor behind a proxy shares the proxy's address
 * and its connection and rate limits; trusting a header nobody vouches for would let any
 * client pick its own address. One function decides for the HTTP API (fastify's
 * `trustProxy`) and the live-chat gateway's limits alike. Values follow fastify: a number
 * of proxy hops (`1`: the connecting address is a proxy, the entry before it the client), or
 * comma-separated addresses, CIDRs and proxy-addr's names (`loopback`, `linklocal`, …).
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';

/** Whether the address `hop` steps from the socket is a proxy to believe. */
export type TrustFunction = (address: string, hop: number) => boolean;

export const TRUST_PROXY_ENV = 'NUDGE_TRUST_PROXY';

/** The trust function of a setting, or null when unset (no proxy trusted). */
export function parseTrustProxy(raw: string | undefined): TrustFunction | null {
  const value = raw?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 10)
      throw new Error(
        `${TRUST_PROXY_ENV} must be a number of proxy hops from 1 to 10, or addresses/CIDRs, got "${raw}"`,
      );
    return (_address, hop) => hop < hops;
  }
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  try {
    return proxyaddr.compile(entries);
  } catch {
    throw new Error(
      `${TRUST_PROXY_ENV} must be a number of proxy hops (1–10) or comma-separated addresses, CIDRs, loopback, linklocal, uniquelocal; got "${raw}"`,
    );
  }
}

/** The client's address as the trusted proxies report it (the socket's own without any). */
export function clientAddress(trust: TrustFunction | null): (req: IncomingMessage) => string {
  if (!trust) return (req) => req.socket.remoteAddress ?? 'unknown';
  return (req) => proxyaddr(req, trust);
}
