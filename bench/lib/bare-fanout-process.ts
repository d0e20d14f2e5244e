/**
 * The floor of an SSE fan-out on this machine, for the API bench: a bare `node:net`
 * server that answers every `GET` with event-stream headers and holds the socket, and
 * on `POST /publish/<id>` writes one shared buffer, a frame naming generation `<id>`,
 * to every held socket in one pass, then answers the publisher. No framework, no
 * auth, no store, no chunked encoding: one socket write per subscriber, which is the
 * least any server can do. The bench runs the same subscriber process against it and
 * against retake, so the two p99s of one run say how much of the delivery time is
 * retake's own and how much the machine's (its loopback TCP and its cores).
 *
 * Prints `listening on http://127.0.0.1:<port>` once it listens.
 */
import { createServer, type Socket } from 'node:net';

const held = new Set<Socket>();
const HEAD = 'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n';
const PUBLISH = /^POST \/publish\/([\w-]+) /;

function publish(id: string): void {
  const frame = Buffer.from(`event: generation.canceled\ndata: {"generation_id":"${id}"}\n\n`);
  for (const socket of held) socket.write(frame);
}

const server = createServer((socket) => {
  socket.setNoDelay(true);
  let request = '';
  const onData = (chunk: Buffer): void => {
    request += chunk.toString('latin1');
    if (!request.includes('\r\n\r\n')) return;
    socket.off('data', onData);
    const id = PUBLISH.exec(request)?.[1];
    if (id) {
      publish(id);
      socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      return;
    }
    socket.write(HEAD);
    held.add(socket);
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
  socket.on('close', () => held.delete(socket));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(`listening on http://127.0.0.1:${address.port}`);
});
process.on('SIGTERM', () => {
  for (const socket of held) socket.destroy();
  server.close(() => process.exit(0));
});
