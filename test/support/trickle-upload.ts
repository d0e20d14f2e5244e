/**
 * Uploads that trickle: a request's headers announce a whole body, only its start is
 * sent, and the connection is kept open without sending more. For tests of what the
 * server does with bodies it is still owed (caps, stall timers, early refusals).
 */
import { connect, type Socket } from 'node:net';

export interface Trickle {
  socket: Socket;
  /** Resolves, with how long the connection lived in ms, when the server closes it. */
  closed: Promise<number>;
  /** What the server answered so far (latin1). */
  answer(): string;
  /** The answer's status, once it has come. */
  status(): number | undefined;
}

/** Send `method path` to `baseUrl` with `headers`, announcing `length` bytes of body, and only `first` of them. */
export async function trickle(baseUrl: string, request: { method: string; path: string; headers: Record<string, string>; first: Buffer; length: number }): Promise<Trickle> {
  const { port } = new URL(baseUrl);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  const opened = Date.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
  const headers = Object.entries({ host: `127.0.0.1:${port}`, ...request.headers, 'content-length': String(request.length) })
    .map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.write(`${request.method} ${request.path} HTTP/1.1\r\n${headers}\r\n`);
  socket.write(request.first);
  return {
    socket, closed,
    answer: () => answer,
    status: () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      return match ? Number(match[1]) : undefined;
    },
  };
}

const BOUNDARY = '----retake-trickle';

/** A multipart upload of `content` in `field` to `path`, of which only the first `sendBytes` are sent. */
export function trickleMultipart(baseUrl: string, path: string, options: { field: string; authorization: string; content: Buffer; sendBytes: number }): Promise<Trickle> {
  const head = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${options.field}"; filename="slow.mp4"\r\nContent-Type: video/mp4\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  return trickle(baseUrl, {
    method: 'POST', path, headers: { authorization: options.authorization, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
    first: Buffer.concat([head, options.content.subarray(0, options.sendBytes)]), length: head.length + options.content.length + tail.length,
  });
}
