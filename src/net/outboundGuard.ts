/**
 * Server-side requests to URLs that operators supply (bot webhooks, workflow webhooks)
 * reach public addresses only, unless the admin allows hosts or networks
 * (`NUDGE_OUTBOUND_ALLOW`); otherwise an operator scoped to one bot could make the service
 * post into its own network and read the delivery errors as a port scan. The check happens
 * where the connection is made: the request's own `lookup` resolves the name, refuses any
 * private address and hands the checked addresses to the socket, so DNS rebinding has no
 * second resolution to exploit; literal addresses (never looked up) are checked before the
 * request. Redirects are not followed: a public URL cannot answer 302 to a private one.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { isPrivateAddress, unbracket } from './privateAddress.ts';

/** What the admin allows beyond public addresses: host names as typed in URLs, and networks. */
export interface OutboundPolicy {
  /** Lower-case host names (or literal addresses) allowed whatever they resolve to. */
  readonly hosts: ReadonlySet<string>;
  /** Networks whose addresses are allowed. */
  readonly networks: BlockList;
  /** The setting as given, for `--check-config` and error messages. */
  readonly source: readonly string[];
}

/** A request refused because its host is (or resolves to) a private address. */
export class OutboundRefusedError extends Error {
  readonly code = 'private_address';
  constructor() {
    // Deliberately no address, port or name: the message reaches operators.
    super('refused: private address');
  }
}

/**
 * Parses `NUDGE_OUTBOUND_ALLOW`: comma-separated host names, addresses or CIDRs
 * (`hooks.internal, 10.0.0.0/8, 127.0.0.1`). Throws naming the variable on a bad entry.
 */
export function parseOutboundAllow(raw: string | readonly string[] | undefined): OutboundPolicy {
  const entries = (typeof raw === 'string' ? raw.split(',') : (raw ?? [])).map((entry) => entry.trim()).filter(Boolean);
  const hosts = new Set<string>();
  const networks = new BlockList();
  for (const entry of entries) {
    const [network, prefixText, extra] = entry.split('/');
    const bare = unbracket(network);
    const family = isIP(bare);
    if (prefixText !== undefined) {
      const prefix = Number(prefixText);
      const max = family === 4 ? 32 : 128;
      if (!family || extra !== undefined || !/^\d+$/.test(prefixText) || prefix > max) {
        throw new Error(
          `NUDGE_OUTBOUND_ALLOW: "${entry}" is not a host name, an IP address or a CIDR like 10.0.0.0/8 or fd00::/8`,
        );
      }
      networks.addSubnet(bare, prefix, family === 4 ? 'ipv4' : 'ipv6');
    } else if (family) {
      networks.addAddress(bare, family === 4 ? 'ipv4' : 'ipv6');
      hosts.add(bare.toLowerCase());
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry)) {
      hosts.add(entry.toLowerCase());
    } else {
      throw new Error(
        `NUDGE_OUTBOUND_ALLOW: "${entry}" is not a host name, an IP address or a CIDR like 10.0.0.0/8 or fd00::/8`,
      );
    }
  }
  return { hosts, networks, source: entries };
}

let current: OutboundPolicy = parseOutboundAllow(undefined);

/** The process's policy (set once at start from the environment, or by a test's server). */
export function outboundPolicy(): OutboundPolicy {
  return current;
}

/** Replaces the process's policy (`startServer`). */
export function setOutboundPolicy(policy: OutboundPolicy): void {
  current = policy;
}

/** Whether a request may connect to this resolved address. */
export function addressAllowed(address: string, policy: OutboundPolicy = current): boolean {
  const bare = unbracket(address);
  if (!isPrivateAddress(bare)) return true;
  const family = isIP(bare);
  return family !== 0 && policy.networks.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether a URL's host is allowed by name, whatever it resolves to. */
function hostAllowed(hostname: string, policy: OutboundPolicy): boolean {
  return policy.hosts.has(unbracket(hostname).toLowerCase());
}

/**
 * Config-time check of a URL an operator saves: a literal private address (or `localhost`)
 * is refused at once with a message; names are checked at each request, when resolved.
 */
export function literalPrivateHost(url: URL, policy: OutboundPolicy = current): string | null {
  const host = unbracket(url.hostname).toLowerCase();
  if (hostAllowed(host, policy)) return null;
  if (host === 'localhost' || host.endsWith('.localhost')) return host;
  if (isIP(host) && !addressAllowed(host, policy)) return host;
  return null;
}

/** Resolves a name to all its addresses (`dns.lookup`'s shape; tests supply their own). */
export type Resolver = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** A `lookup` for sockets that resolves as usual and refuses private results. */
function guardedLookup(policy: OutboundPolicy, resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      if (addresses.length === 0 || addresses.some((entry) => !addressAllowed(entry.address, policy))) {
        return callback(new OutboundRefusedError() as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * `fetch` for user-supplied URLs (POST-style requests with a string body): refuses private
 * destinations with `OutboundRefusedError`, connects to the addresses it checked, and
 * follows no redirects.
 */
export function guardedFetch(
  policyOf: () => OutboundPolicy = outboundPolicy,
  resolver: Resolver = dnsLookup as unknown as Resolver,
) {
  return (input: string, init: RequestInit): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const policy = policyOf();
      const url = new URL(input);
      if (url.protocol !== 'http:' && url.protocol !== 'https:')
        return reject(new Error(`unsupported protocol ${url.protocol}`));
      const byName = hostAllowed(url.hostname, policy);
      const literal = isIP(unbracket(url.hostname)) !== 0;
      if (
        !byName &&
        (url.hostname.toLowerCase() === 'localhost' || (literal && !addressAllowed(url.hostname, policy)))
      ) {
        return reject(new OutboundRefusedError());
      }
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
        url,
        {
          method: init.method ?? 'GET',
          headers: init.headers as Record<string, string> | undefined,
          signal: init.signal ?? undefined,
          // A fresh connection per request: a pooled socket was checked for another URL.
          agent: false,
          ...(byName ? {} : { lookup: guardedLookup(policy, resolver) }),
        },
        (response) => {
          try {
            resolve(toResponse(response));
          } catch (error) {
            response.destroy();
            reject(error);
          }
        },
      );
      request.on('error', (error) =>
        reject(
          (error as { cause?: unknown }).cause instanceof OutboundRefusedError
            ? (error as { cause: Error }).cause
            : error,
        ),
      );
      request.end(typeof init.body === 'string' ? init.body : undefined);
    });
}

/** A node response as a WHATWG Response (what the adapters read). */
function toResponse(response: IncomingMessage): Response {
  const status = response.statusCode ?? 0;
  if (status < 200 || status > 599) throw new Error(`unexpected HTTP status ${status}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const empty = status === 204 || status === 205 || status === 304;
  if (empty) response.resume();
  const body = empty ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>);
  return new Response(body, { status, statusText: response.statusMessage, headers });
}
