/**
 * Refuses cross-origin browser requests. The Workbench is served from the API's own
 * origin, so any request whose `Origin` is neither the public URL's origin nor the
 * origin of the Host it was sent to comes from another site (CSRF with a stored key,
 * or a page probing a local service) and gets 403 `cross_origin_forbidden`. Clients
 * that send no Origin (curl, SDKs, the CLI) are unaffected.
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

/** Install the hook; runs before authentication so a foreign page learns nothing. */
export function installCrossOrigin(app: FastifyInstance, publicUrl: string): void {
  app.addHook('onRequest', async (request) => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    if (!isSameOrigin(origin, publicUrl, request)) {
      throw new RetakeError('cross_origin_forbidden', 'Requests from other origins are refused; call the API from a server or the CLI');
    }
  });
}
