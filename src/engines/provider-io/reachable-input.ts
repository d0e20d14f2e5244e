/**
 * Decides how a request's input reaches the provider. A public http(s) URL is passed on
 * as it is (the provider fetches it); a file uploaded to retake, or a URL on a loopback,
 * private or otherwise non-public address, is fetched here (through the URL guard, via
 * `job.fetchInput`), checked under the input rules and handed over as bytes — a private
 * URL is never sent out.
 */
import { isPublicHost, ownBlobKey, type Resolver } from '../../net/index.ts';
import { checkInputContainer } from './input-container.ts';

/** Resolve a host name to its addresses (injectable for tests); the URL guard's type. */
export type HostResolver = Resolver;

export type InputRoute = { kind: 'url'; url: string } | { kind: 'local'; path: string };

export interface RouteOptions {
  /** retake's public base URL: its `/files/uploads/...` URLs are never sent out. */
  publicUrl: string;
  /** Default: the OS resolver. */
  resolve?: HostResolver;
  /** Stops the container check of a fetched input. */
  signal?: AbortSignal | undefined;
}

/**
 * True when a provider on the internet can fetch `url` itself: an http(s) URL without
 * credentials, not one of retake's own files, on a host whose every address is public
 * (the rules are net/'s). A name that does not resolve here is fetched here, so the
 * guard reports it clearly.
 */
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
  return isPublicHost(parsed.hostname, options.resolve);
}

/**
 * Pass `url` on, or bring it into the work directory as `name` for an upload. Throws
 * `input_container_refused` / `input_not_media` for fetched bytes that are no media file.
 */
export async function routeInput(
  url: string,
  name: string,
  fetchInput: (url: string, name: string) => Promise<string>,
  options: RouteOptions,
): Promise<InputRoute> {
  if (await isProviderReachable(url, options)) return { kind: 'url', url };
  const path = await fetchInput(url, name);
  await checkInputContainer(path, { signal: options.signal });
  return { kind: 'local', path };
}
