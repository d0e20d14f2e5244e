/**
 * Decides how a request's input reaches the provider. A public http(s) URL is passed on
 * as it is (the provider fetches it); a file uploaded to retake, or a URL on a loopback,
 * private or otherwise non-public address, is fetched here (through the URL guard, via
 * `job.fetchInput`) and handed over as bytes — a private URL is never sent out.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { ownBlobKey } from '../../jobs/inputs.ts';
import { blockedRange } from '../../net/index.ts';

/** Resolve a host name to its addresses (injectable for tests). */
export type HostResolver = (host: string) => Promise<string[]>;

const systemResolver: HostResolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

export type InputRoute = { kind: 'url'; url: string } | { kind: 'local'; path: string };

export interface RouteOptions {
  /** retake's public base URL: its `/files/uploads/...` URLs are never sent out. */
  publicUrl: string;
  resolve?: HostResolver;
}

/** True when a provider on the internet can fetch `url` itself. */
export async function isProviderReachable(url: string, options: RouteOptions): Promise<boolean> {
  if (ownBlobKey(url, options.publicUrl)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.username || parsed.password) return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal')) return false;
  if (isIP(host)) return blockedRange(host) === undefined;
  try {
    const addresses = await (options.resolve ?? systemResolver)(host);
    return addresses.length > 0 && addresses.every((a) => blockedRange(a) === undefined);
  } catch {
    // A name that does not resolve here is fetched here, so the guard reports it clearly.
    return false;
  }
}

/** Pass `url` on, or bring it into the work directory as `name` for an upload. */
export async function routeInput(
  url: string,
  name: string,
  fetchInput: (url: string, name: string) => Promise<string>,
  options: RouteOptions,
): Promise<InputRoute> {
  if (await isProviderReachable(url, options)) return { kind: 'url', url };
  return { kind: 'local', path: await fetchInput(url, name) };
}
