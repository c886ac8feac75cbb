/**
 * Which addresses the live transport may connect to. A feed on a public host must not be able to
 * point the fetcher (directly or through a redirect, or through DNS) at this machine, the local
 * network or a cloud metadata service. Only public unicast addresses are reached, unless the user
 * lists a host in `http.allowHosts` (a self-hosted feed service, a test server on loopback).
 *
 * The check runs on the address actually connected to: IP literals directly, names in the `lookup`
 * handed to the socket (see live-transport.ts), so DNS cannot re-point a checked name.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A refused address: the live transport turns it into FetchError 'blocked'. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'ERR_AI_DAILY_BLOCKED';
  readonly host: string;
  readonly address: string;
  readonly range: string;
  constructor(host: string, address: string, range: string) {
    const what = host === address ? address : `${host} (resolves to ${address})`;
    super(
      `${what} is a ${describeRange(range)} address, which is not fetched (list the host in http.allowHosts to allow it)`,
    );
    this.host = host;
    this.address = address;
    this.range = range;
  }
}

const RANGE_WORDS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  uniqueLocal: 'private (unique local)',
  ipv4Mapped: 'IPv4-mapped IPv6',
  ipv4Compatible: 'IPv4-compatible IPv6',
  rfc6145: 'IPv4-translated IPv6',
  rfc6052: 'NAT64 (IPv4-embedding IPv6)',
  '6to4': '6to4 (IPv4-embedding IPv6)',
  teredo: 'Teredo (IPv4-embedding IPv6)',
};

function describeRange(range: string): string {
  return RANGE_WORDS[range] ?? `${range.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} (non-public)`;
}

/** Strips the brackets of an IPv6 literal as URLs write it ("[::1]" → "::1"). */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The special range an IP address belongs to, or undefined when it is public unicast. Every
 * range ipaddr.js knows other than "unicast" is refused; so are IPv6 forms that embed an IPv4
 * address in the low 32 bits with nothing above them (IPv4-compatible, ::a.b.c.d).
 */
export function nonPublicRange(address: string): string | undefined {
  const bare = bareHost(address);
  if (!ipaddr.isValid(bare)) return 'invalid';
  const parsed = ipaddr.parse(bare);
  const range = parsed.range();
  if (range !== 'unicast') return range;
  if (parsed.kind() === 'ipv6') {
    const parts = (parsed as ipaddr.IPv6).parts;
    // ::/96 — the deprecated IPv4-compatible form (ipaddr.js calls only ::/128 and ::1 special).
    if (parts.slice(0, 6).every((part) => part === 0)) return 'ipv4Compatible';
  }
  return undefined;
}

export interface AllowedHost {
  /** Lower-case, IPv6 without brackets. */
  host: string;
  /** Undefined: any port. */
  port?: number;
}

/**
 * Parses one `http.allowHosts` entry: `host`, `host:port`, `[v6]` or `[v6]:port`. Returns an
 * error message for anything else (a URL, a path, a port out of range).
 */
export function parseAllowedHost(entry: string): AllowedHost | string {
  const text = entry.trim().toLowerCase();
  if (text === '') return 'must not be empty';
  if (/[/?#@\s]/.test(text) || text.includes('://')) return `"${entry}" must be a host or host:port, not a URL`;
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return `"${entry}" has an unclosed "["`;
    host = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return `"${entry}" must be a host or host:port`;
    portText = rest === '' ? undefined : rest.slice(1);
    if (isIP(host) !== 6) return `"${entry}" has no IPv6 address inside the brackets`;
  } else if (isIP(text) === 6) {
    host = text;
  } else {
    const colon = text.lastIndexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
    if (!/^[a-z0-9.-]+$/.test(host) || host.startsWith('.') || host.endsWith('.')) {
      return `"${entry}" is not a host name or IP address`;
    }
  }
  if (portText === undefined) return { host };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65_535) {
    return `"${entry}" has an invalid port`;
  }
  return { host, port: Number(portText) };
}

/** The network policy: which hosts may reach a non-public address. */
export interface NetworkPolicy {
  /** Whether `host` (a URL host name, brackets allowed) on `port` is listed in allowHosts. */
  isAllowedHost(host: string, port: number): boolean;
  /** Throws BlockedAddressError when `address` (an IP) may not be connected to for `host:port`. */
  checkAddress(host: string, port: number, address: string): void;
}

export function createNetworkPolicy(allowHosts: readonly string[] = []): NetworkPolicy {
  const allowed: AllowedHost[] = [];
  for (const entry of allowHosts) {
    const parsed = parseAllowedHost(entry);
    if (typeof parsed === 'string') throw new Error(`http.allowHosts: ${parsed}`);
    allowed.push(parsed);
  }
  const isAllowedHost = (host: string, port: number) => {
    const name = bareHost(host).toLowerCase().replace(/\.$/, '');
    return allowed.some((entry) => entry.host === name && (entry.port === undefined || entry.port === port));
  };
  return {
    isAllowedHost,
    checkAddress(host, port, address) {
      if (isAllowedHost(host, port)) return;
      const range = nonPublicRange(address);
      if (range !== undefined) throw new BlockedAddressError(bareHost(host), bareHost(address), range);
    },
  };
}

/** The port a URL connects to ("" in a URL means the scheme's default). */
export function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}
