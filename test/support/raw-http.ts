/**
 * One HTTP/1.1 request over a plain socket, for fuzzing: the path goes out byte for
 * byte (`%FF`, `..`, a 5,000-character segment: nothing normalised it first), and the
 * answer is whatever the server wrote before it closed the connection. A server that
 * refuses a body early (413) and resets the socket while the body is still being sent
 * gives an EPIPE or ECONNRESET on the writing side; the answer it had already sent is
 * still read from the socket and returned, so a refusal is never mistaken for a failure.
 */
import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface RawRequest {
  method: string;
  /** Sent as it is, unescaped. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Default 15 s. */
  timeoutMs?: number;
}

function dechunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!(size > 0)) break;
    out.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

function parse(data: Buffer): RawAnswer | undefined {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  if (!status) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const raw = data.subarray(end + 4);
  const body = headers['transfer-encoding']?.includes('chunked') ? dechunk(raw) : raw;
  return { status, headers, body: body.toString('utf8') };
}

/** Send `request` to `baseUrl` (http://host:port) and read the answer until the server closes. */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const head = [`${request.method} ${request.path} HTTP/1.1`, `host: ${hostname}:${port}`, 'connection: close'];
  for (const [name, value] of Object.entries(request.headers ?? {})) head.push(`${name}: ${value}`);
  if (body !== undefined) head.push(`content-length: ${body.length}`);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const answer = parse(Buffer.concat(chunks));
      if (answer) resolve(answer);
      else reject(new Error(`${request.method} ${request.path.slice(0, 80)}: no HTTP answer (${Buffer.concat(chunks).toString('latin1').slice(0, 200)})`));
    };
    const timer = setTimeout(finish, request.timeoutMs ?? 15_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // An event stream does not end by itself: its status and headers are the answer.
      const answer = parse(Buffer.concat(chunks));
      if (answer?.headers['content-type']?.startsWith('text/event-stream')) finish();
    });
    // A reset while the body is still going out: what the server answered is in `chunks`.
    socket.on('error', () => finish());
    socket.on('close', finish);
    socket.on('connect', () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      // The body goes in pieces, and no more of it once the server has answered.
      let at = 0;
      const more = (): void => {
        while (body !== undefined && at < body.length && chunks.length === 0 && !socket.destroyed) {
          const piece = body.subarray(at, at + 64 * 1024);
          at += piece.length;
          if (!socket.write(piece)) {
            socket.once('drain', more);
            return;
          }
        }
      };
      more();
    });
  });
}
