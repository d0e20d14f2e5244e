/**
 * An answer sent before the request's body has ended (an upload refused on sight: 413,
 * 415, 429, 401) closes the connection. Otherwise Node keeps the socket for keep-alive
 * and reads and discards whatever the client still sends, so a refused upload would
 * hold a socket for as long as the client cares to trickle its body. JSON bodies are
 * the exception: small, or past their limit read to the end (json-body-limit.ts), so
 * the client reads its answer.
 */
import type { FastifyInstance } from 'fastify';

/** Install on the root instance: every route, every protocol. */
export function installCloseUnreadBody(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const raw = request.raw;
    const hasBody = (raw.headers['content-length'] ?? '0') !== '0' || raw.headers['transfer-encoding'] !== undefined;
    // A JSON body is small (or drained past its limit, json-body-limit.ts): Node reads and
    // drops the rest, and closing mid-body would cut the client off before it reads the answer.
    if (/^application\/json\b/i.test(raw.headers['content-type'] ?? '')) return payload;
    if (hasBody && !raw.complete && reply.statusCode >= 400) reply.header('connection', 'close');
    return payload;
  });
}
