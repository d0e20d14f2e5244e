/**
 * One HTTP/1.1 request over a plain socket, for fuzzing: the path goes out byte for
 * byte (`%FF`, `..`, a 5,000-character segment: nothing normalised it first), and the
 * answer is whatever the server wrote before it closed the connection. A server that
 * refuses a body early (413) and resets the socket while the body is still being sent
 * gives an ECONNRESET; the answer it had already sent is still read from the socket and
 * returned, so a refusal is never mistaken for a failure. A body the server is expected
 * to refuse on its length is not sent at all (see `withholdBodyOver`).
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
  /**
   * A body longer than this is announced (its Content-Length goes out) but not sent: the
   * server must refuse it on its length alone. Sending it would race the server's close
   * (a write into a reset socket is an EPIPE, and Node drops the socket with the answer
   * still unread). A server that waits for such a body instead times the request out.
   */
  withholdBodyOver?: number;
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

/** Whether `data` holds a whole answer (its headers and all of the body they announce). */
function complete(data: Buffer, method: string): boolean {
  const end = data.indexOf('\r\n\r\n');
  const answer = parse(data);
  if (!answer || end < 0) return false;
  if (method === 'HEAD' || answer.status === 204 || answer.status === 304) return true;
  const raw = data.length - (end + 4);
  if (answer.headers['transfer-encoding']?.includes('chunked')) return data.subarray(-5).toString('latin1') === '0\r\n\r\n';
  const length = Number(answer.headers['content-length']);
  return Number.isFinite(length) && raw >= length;
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

/** Send `request` to `baseUrl` (http://host:port) and read one answer (until it is whole, or the server closes). */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  // Keep-alive, so a server that answers before it has read the body reads (and drops)
  // the rest rather than closing on unread bytes, which would reset the connection.
  const head = [`${request.method} ${request.path} HTTP/1.1`, `host: ${hostname}:${port}`];
  for (const [name, value] of Object.entries(request.headers ?? {})) head.push(`${name}: ${value}`);
  if (body !== undefined) head.push(`content-length: ${body.length}`);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    let failure = '';
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const answer = parse(Buffer.concat(chunks));
      if (answer) resolve(answer);
      else reject(new Error(`${request.method} ${request.path.slice(0, 80)}: no HTTP answer (${failure || 'closed'}: ${Buffer.concat(chunks).toString('latin1').slice(0, 200)})`));
    };
    const timer = setTimeout(finish, request.timeoutMs ?? 15_000);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const data = Buffer.concat(chunks);
      // An event stream does not end by itself: its status and headers are the answer.
      if (complete(data, request.method) || parse(data)?.headers['content-type']?.startsWith('text/event-stream')) finish();
    });
    // A reset while the body is still going out: what the server answered is in `chunks`.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      failure = err.code ?? err.message;
      finish();
    });
    socket.on('close', finish);
    socket.on('connect', () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      // The body goes in pieces, and no more of it once the server has answered.
      if (body !== undefined && request.withholdBodyOver !== undefined && body.length > request.withholdBodyOver) return;
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
