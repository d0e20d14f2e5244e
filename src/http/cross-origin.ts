/**
 * Refuses cross-origin browser requests. The Workbench is served from the API's own
 * origin, so any request whose `Origin` is neither the public URL's origin nor the
 * origin of the Host it was sent to comes from another site (CSRF with a stored key,
 * or a page probing a local service) and gets 403 `cross_origin_forbidden`. Clients
 * that send no Origin (curl, SDKs, the CLI) are unaffected.
 *
 * DNS rebinding defeats that test on its own: a page on `evil.example` whose name is
 * re-pointed at 127.0.0.1 sends `Host: evil.example` and `Origin: http://evil.example`,
 * which agree. So a server bound to loopback also refuses any Host but the loopback
 * names and the public URL's host, before anything else runs.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RetakeError } from '../errors/index.ts';

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** True when `origin` is the server's own (public URL or the requested host). */
export function isSameOrigin(origin: string, publicUrl: string, request: Pick<FastifyRequest, 'protocol' | 'host'>): boolean {
  const given = originOf(origin);
  if (!given) return false;
  if (given === originOf(publicUrl)) return true;
  return given === originOf(`${request.protocol}://${request.host}`);
}

/** Whether `host` (a listen address) is a loopback address or name. */
export function isLoopbackBind(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/** The host names a loopback-bound server answers to: loopback names and the public URL's host. */
export function allowedHostNames(publicUrl: string): Set<string> {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  try {
    names.add(new URL(publicUrl).hostname.toLowerCase());
  } catch {
    // An unparsable public URL adds nothing.
  }
  return names;
}

/** The host name of a Host header (without port), lower-cased; undefined when malformed. */
function hostNameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Install the hook; runs before authentication so a foreign page learns nothing.
 * @param bindHost the listen address; when it is loopback, foreign Host headers are refused
 */
export function installCrossOrigin(app: FastifyInstance, publicUrl: string, bindHost?: string): void {
  const hosts = bindHost !== undefined && isLoopbackBind(bindHost) ? allowedHostNames(publicUrl) : undefined;
  app.addHook('onRequest', async (request) => {
    if (hosts) {
      const name = hostNameOf(request.host);
      if (name === undefined || !(hosts.has(name) || /^127(?:\.\d{1,3}){3}$/.test(name))) {
        throw new RetakeError('cross_origin_forbidden', 'This server answers only to its own host names (a foreign Host header was refused)');
      }
    }
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (!isSameOrigin(origin, publicUrl, request)) {
      throw new RetakeError('cross_origin_forbidden', 'Requests from other origins are refused; call the API from a server or the CLI');
    }
  });
}
