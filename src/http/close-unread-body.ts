/**
 * An answer sent before the request's body has ended (an upload refused on sight: 413,
 * 415, 429, 401) closes the connection. Otherwise Node keeps the socket for keep-alive
 * and reads and discards whatever the client still sends, so a refused upload would
 * hold a socket for as long as the client cares to trickle its body. A JSON body past
 * its limit is the exception: it is read to its end so the client reads the 413
 * (json-body-limit.ts).
 */
import type { FastifyInstance } from 'fastify';
import { isDrainingBody } from './json-body-limit.ts';

/** Install on the root instance: every route, every protocol. */
export function installCloseUnreadBody(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const raw = request.raw;
    const hasBody = (raw.headers['content-length'] ?? '0') !== '0' || raw.headers['transfer-encoding'] !== undefined;
    if (hasBody && !raw.complete && reply.statusCode >= 400 && !isDrainingBody(request)) reply.header('connection', 'close');
    return payload;
  });
}
