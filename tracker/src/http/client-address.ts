/**
 * Which address a request comes from. Directly, it is the socket's peer. Behind reverse proxies
 * (trustProxy), each proxy appends the address it received the request from to X-Forwarded-For,
 * after whatever the client wrote there itself; so the header is read from the right, skipping
 * only the configured trusted proxies, and the first entry that is not one of them is the client.
 * Entries further left were written by someone we do not trust and are never used.
 */
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

/** Loopback, v4 and v6: a proxy on the same machine (the default list of trusted proxies). */
export const LOOPBACK_PROXIES: readonly string[] = ['127.0.0.0/8', '::1/128'];

/** Strips the IPv4-mapped IPv6 prefix, so one client has one spelling. */
export function plainAddress(a: string): string {
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

/** Parses an address or CIDR (a.b.c.d, a.b.c.d/n, v6, v6/n); undefined when it is neither. */
export function parseProxyEntry(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', bits, extra] = entry.trim().split('/');
  const v = isIP(address);
  if (v === 0 || extra !== undefined) return undefined;
  const max = v === 4 ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = bits === undefined ? max : Number(bits);
  if (prefix > max) return undefined;
  return { address, prefix, family: v === 4 ? 'ipv4' : 'ipv6' };
}

/** Distinct untrusted forwarders reported (a misconfiguration shows at once; a flood does not log). */
const MAX_WARNINGS = 8;

export class ClientAddress {
  private readonly trusted = new BlockList();
  private readonly warned = new Set<string>();

  /**
   * `trustedProxies` must have passed parseProxyEntry (the config checks it). `warn` hears of a
   * peer that sent X-Forwarded-For without being a trusted proxy (its header is ignored): a proxy
   * missing from trustedProxies, or a client writing the header itself.
   */
  constructor(
    private readonly trustProxy: boolean,
    trustedProxies: readonly string[],
    private readonly warn: (forwarder: string) => void = () => undefined,
  ) {
    for (const entry of trustedProxies) {
      const p = parseProxyEntry(entry);
      if (p === undefined) throw new Error(`not an address or CIDR: ${entry}`);
      this.trusted.addSubnet(p.address, p.prefix, p.family);
    }
  }

  of(req: IncomingMessage): string {
    return this.resolve(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']);
  }

  /** The client behind `remote` (the socket's peer), given the X-Forwarded-For it sent. */
  resolve(remote: string, forwardedFor: string | readonly string[] | undefined): string {
    let hop = plainAddress(remote);
    if (!this.trustProxy || forwardedFor === undefined) return hop;
    if (!this.isTrusted(hop) && this.warned.size < MAX_WARNINGS && !this.warned.has(hop)) {
      this.warned.add(hop);
      this.warn(hop);
    }
    const entries = (typeof forwardedFor === 'string' ? forwardedFor : forwardedFor.join(',')).split(',');
    for (let i = entries.length - 1; i >= 0 && this.isTrusted(hop); i--) {
      const next = plainAddress(entries[i]!.trim());
      // A trusted proxy that wrote garbage: the last address we can vouch for is its own.
      if (isIP(next) === 0) return hop;
      hop = next;
    }
    return hop;
  }

  private isTrusted(a: string): boolean {
    const v = isIP(a);
    return v !== 0 && this.trusted.check(a, v === 4 ? 'ipv4' : 'ipv6');
  }
}
