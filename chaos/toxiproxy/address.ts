// host:port strings as Go's net package reads and prints them, so `listen`
// shows what a real Toxiproxy would show (127.0.0.1:41234, [::]:41234).
import type { AddressInfo } from 'node:net';

export interface HostPort {
  /** undefined: all interfaces (listen) or the local host (dial). */
  readonly host: string | undefined;
  readonly port: number;
}

/** Parses "host:port", "[v6]:port" or ":port"; the error text follows Go's. */
export function parseHostPort(address: string): HostPort | { error: string } {
  const colon = address.lastIndexOf(':');
  if (colon < 0) return { error: `address ${address}: missing port in address` };
  let host = address.slice(0, colon);
  const portText = address.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  else if (host.includes(':')) return { error: `address ${address}: too many colons in address` };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    return { error: `address ${portText}: invalid port` };
  }
  return { host: host === '' ? undefined : host, port: Number(portText) };
}

/** Formats a bound address the way Go prints it. */
export function formatAddress(info: AddressInfo): string {
  return info.family === 'IPv6' || info.address.includes(':') ? `[${info.address}]:${info.port}` : `${info.address}:${info.port}`;
}

/** Go's wording for the usual bind failures, e.g. "bind: address already in use". */
export function bindErrorText(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return 'bind: address already in use';
    case 'EACCES':
      return 'bind: permission denied';
    case 'EADDRNOTAVAIL':
      return 'bind: cannot assign requested address';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'lookup: no such host';
    default:
      return err.message;
  }
}
