import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Outgoing webhook and Slack requests, safe against SSRF: the URL must be https (unless the
 * operator allowed plain http), every address its host resolves to must be public (or in the
 * operator's allowlist of internal networks), and the connection goes to the very address that
 * was checked (no second lookup for DNS rebinding to answer differently). Redirects are never
 * followed: a 3xx is a failure, whatever its Location says.
 */

export interface TargetPolicy {
  readonly allowInsecureHttp: boolean;
  /** Internal networks (CIDR) the operator allows. */
  readonly internalAllowlist: readonly string[];
}

export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;
const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

/** Not to be retried: the target itself is refused, or answered that it never will accept. */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}

/** Loopback, private, shared, link-local (incl. cloud metadata 169.254.169.254), documentation, multicast and reserved ranges. */
const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) INTERNAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) INTERNAL.addSubnet(net, bits, 'ipv6');

function allowlist(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, bits] = cidr.split('/');
    list.addSubnet(net!, Number(bits), isIP(net!) === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

/** An IPv4-mapped IPv6 address (::ffff:10.0.0.1) is judged as the IPv4 address it is. */
function normalise(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, type: 'ipv4' };
  return { address, type: isIP(address) === 6 ? 'ipv6' : 'ipv4' };
}

export function isInternal(address: string, allowed: readonly string[] = []): boolean {
  const a = normalise(address);
  return INTERNAL.check(a.address, a.type) && !allowlist(allowed).check(a.address, a.type);
}

/** Checks the URL and its host's addresses; the address to connect to. */
export async function resolveTarget(url: URL, policy: TargetPolicy, resolve: Resolver = systemResolver): Promise<{ address: string; family: 4 | 6 }> {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowInsecureHttp)) {
    throw new PermanentFailure(`${url.protocol} is refused: webhook URLs must be https`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await resolve(host).catch((err: Error) => Promise.reject(new Error(`${host} does not resolve (${err.message})`)));
  if (addresses.length === 0) throw new Error(`${host} does not resolve`);
  for (const { address } of addresses) {
    if (isInternal(address, policy.internalAllowlist)) {
      throw new PermanentFailure(`${host} resolves to ${address}, an internal address (allow its network in the internal allowlist if this is intended)`);
    }
  }
  const first = addresses[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}

export interface PostResult {
  readonly status: number;
}

/** POSTs `body` to the URL's checked address; resolves on 2xx, otherwise rejects (permanently when retrying cannot help). */
export async function postJson(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  policy: TargetPolicy,
  options: { timeoutMs?: number; resolve?: Resolver } = {},
): Promise<PostResult> {
  const url = new URL(rawUrl);
  const target = await resolveTarget(url, policy, options.resolve);
  // Every lookup the socket makes answers with the checked address (Node may ask for all).
  const pinned: LookupFunction = (_host, opts, callback) => {
    if ((opts as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const status = await new Promise<number>((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        lookup: pinned,
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Cairn status notifications', ...headers },
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        res.resume(); // the answer's body is not needed (and not read into memory)
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy(new Error('the receiver did not answer in time')));
    req.on('error', reject);
    req.end(body);
  });
  if (status >= 200 && status < 300) return { status };
  if (status >= 300 && status < 400) throw new PermanentFailure(`the receiver answered ${status} (a redirect); redirects are not followed`);
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) throw new PermanentFailure(`the receiver refused it (${status})`);
  throw new Error(`the receiver answered ${status}`);
}
