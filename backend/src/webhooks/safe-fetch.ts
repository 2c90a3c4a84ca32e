// The HTTP client of webhooks: an undici Agent that resolves the host itself and only
// connects to addresses that pass url-guard's check (a host on the allow-list is let
// through by name, as in checkWebhookUrl). So the address connected to is the address
// checked: a DNS answer that changed since checkWebhookUrl (rebinding) fails the
// connection instead of reaching inside the network. Redirects are never followed.
import * as dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch, type RequestInit, type Response } from 'undici';
import { addressRefusal, hostNameRefusal, isAllowListed, normalizeHost, refusedAddressReason } from './url-guard';

/** Resolves a host name to all its addresses (dns.promises.lookup by default; tests inject their own). */
export type Resolve = (hostname: string, options: { all: true; verbatim: true; family?: number }) => Promise<{ address: string; family: number }[]>;

export class RefusedAddressError extends Error {
  readonly code = 'EWEBHOOKREFUSED';
}

export interface WebhookAgentOptions {
  allowHosts?: readonly string[];
  resolve?: Resolve;
  /** connect timeout, ms */
  connectTimeoutMs?: number;
}

/** The lookup given to net/tls.connect: resolves, refuses the host if any address is refused. */
export function guardedLookup(allowHosts: readonly string[], resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    const host = normalizeHost(hostname);
    const family = typeof options?.family === 'number' ? options.family : options?.family === 'IPv6' ? 6 : options?.family === 'IPv4' ? 4 : 0;
    resolve(host, { all: true, verbatim: true, ...(family ? { family } : {}) }).then(
      (addresses) => {
        if (!isAllowListed(host, allowHosts)) {
          const byName = hostNameRefusal(host);
          if (byName) return callback(new RefusedAddressError(`refused: ${byName}`), '', 0);
          const bad = addresses.find((a) => addressRefusal(a.address) !== null);
          if (bad) return callback(new RefusedAddressError(`refused: host ${host} ${refusedAddressReason(bad.address)}`), '', 0);
        }
        if (addresses.length === 0) {
          return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host }), '', 0);
        }
        if (options?.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      },
      (err) => callback(err, '', 0),
    );
  };
}

const defaultResolve: Resolve = (hostname, options) => dns.promises.lookup(hostname, options);

/** An undici Agent that only connects to checked addresses. Pass it as `dispatcher`. */
export function createWebhookAgent({ allowHosts = [], resolve = defaultResolve, connectTimeoutMs = 10_000 }: WebhookAgentOptions = {}): Agent {
  const connector = buildConnector({ lookup: guardedLookup(allowHosts, resolve), timeout: connectTimeoutMs });
  return new Agent({
    connect: (opts, callback) => {
      // A literal address never reaches lookup: check it here.
      const host = normalizeHost(opts.hostname);
      if (isIP(host) && !isAllowListed(host, allowHosts) && addressRefusal(host) !== null) {
        return callback(new RefusedAddressError(`refused: ${refusedAddressReason(host)}`), null);
      }
      return connector(opts, callback);
    },
  });
}

const agents = new Map<string, Agent>();

/** One shared agent per allow-list (keeps connections alive across deliveries). */
export function webhookAgent(allowHosts: readonly string[]): Agent {
  const key = allowHosts.join(',');
  let agent = agents.get(key);
  if (!agent) {
    agent = createWebhookAgent({ allowHosts });
    agents.set(key, agent);
  }
  return agent;
}

/**
 * fetch through the guarded agent, never following a redirect (a 3xx is the answer).
 * A refused address throws RefusedAddressError (rather than undici's bare "fetch failed").
 */
export async function safeFetch(
  url: string | URL,
  init: Omit<RequestInit, 'dispatcher' | 'redirect'>,
  opts: { allowHosts?: readonly string[]; dispatcher?: Agent } = {},
): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'manual', dispatcher: opts.dispatcher ?? webhookAgent(opts.allowHosts ?? []) });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof RefusedAddressError) throw cause;
    if (cause instanceof Error && err instanceof TypeError && err.message === 'fetch failed') throw new Error(`fetch failed: ${cause.message}`, { cause });
    throw err;
  }
}
