/**
 * A stall timeout for request bodies. The server has no request timeout (a sync
 * generation holds its connection for minutes), so without this a client that opens an
 * upload and stops sending would hold a socket, and a part file, forever. The socket's
 * idle timer runs only while a body is still arriving; once the body is read it is
 * cleared, so a long wait for an answer is never cut. When it fires the socket is
 * destroyed, which ends the upload stream and removes its part file.
 */
import type { FastifyInstance } from 'fastify';

/**
 * Install the hook (first, so it covers requests that are refused before their body is
 * read). @param stallMs idle time allowed between two chunks of a body; 0 turns it off.
 */
export function installBodyStall(app: FastifyInstance, stallMs: number): void {
  if (stallMs <= 0) return;
  app.addHook('onRequest', async (request) => {
    const raw = request.raw;
    const length = raw.headers['content-length'];
    const hasBody = (length !== undefined && length !== '0') || raw.headers['transfer-encoding'] !== undefined;
    const socket = raw.socket as typeof raw.socket | undefined;
    if (!hasBody || raw.complete || typeof socket?.setTimeout !== 'function') return;
    raw.setTimeout(stallMs, () => {
      request.log.warn({ stallMs }, 'request body stalled; closing the connection');
      socket.destroy();
    });
    raw.once('end', () => socket.setTimeout(0));
  });
}
