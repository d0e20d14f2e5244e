/**
 * What retake decides about a URL's host before connecting, in one place: names that
 * mean this machine or its local network, hosts that are plainly local on their face
 * (refused when a request is made), and whether every address of a name is public
 * (a hosted provider may fetch it). The address rule itself is address-policy.ts;
 * the connection-time check is guarded-lookup.ts.
 */
import { isIP } from 'node:net';
import { RetakeError } from '../errors/index.ts';
import { isAddressAllowed } from './address-policy.ts';
import { systemResolver, type Resolver } from './guarded-lookup.ts';

/** The host without IPv6 brackets, lower-cased. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** `localhost` and its subdomains: this machine, whatever DNS says. */
export function isLoopbackName(hostname: string): boolean {
  const host = bareHost(hostname);
  return host === 'localhost' || host.endsWith('.localhost');
}

/** mDNS (`.local`) and cloud-internal (`.internal`) names: reachable only from inside. */
export function isLocalNetworkName(hostname: string): boolean {
  const host = bareHost(hostname);
  return host.endsWith('.local') || host.endsWith('.internal');
}

/** True when a URL's host is, on its face, one the guard would refuse (a loopback name or a non-public IP). */
export function isPlainlyLocalHost(hostname: string): boolean {
  const host = bareHost(hostname);
  return isLoopbackName(host) || (isIP(host) !== 0 && !isAddressAllowed(host));
}

/**
 * True when someone on the internet can reach `hostname`: not plainly local, not a
 * local-network name, and every address it resolves to is public. A name that does
 * not resolve counts as not public.
 * @param resolve defaults to the OS resolver.
 */
export async function isPublicHost(hostname: string, resolve: Resolver = systemResolver): Promise<boolean> {
  const host = bareHost(hostname);
  if (isPlainlyLocalHost(host) || isLocalNetworkName(host)) return false;
  if (isIP(host)) return true;
  try {
    const addresses = await resolve(host);
    return addresses.length > 0 && addresses.every((a) => isAddressAllowed(a.address));
  } catch {
    return false;
  }
}

/**
 * The blob key behind one of retake's own file URLs (`<publicUrl>/files/uploads/...`),
 * or undefined for any other URL. Such a URL is read from the blob store, never
 * fetched and never sent to a provider. Throws `input_url_invalid` for one of retake's
 * URLs with a malformed escape (`%FF`): it can name no file, and the client should hear why.
 */
export function ownBlobKey(url: string, publicUrl: string): string | undefined {
  const prefix = `${publicUrl}/files/`;
  if (!url.startsWith(prefix)) return undefined;
  let key: string;
  try {
    key = decodeURIComponent(url.slice(prefix.length).split(/[?#]/)[0] ?? '');
  } catch {
    throw new RetakeError('input_url_invalid', 'The file URL has a malformed percent-escape');
  }
  return /^uploads\/[A-Za-z0-9_-]+\/[A-Za-z0-9._-]+$/.test(key) ? key : undefined;
}
