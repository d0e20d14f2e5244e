/**
 * The SSE subscribers of the API bench, run in their own process so that parsing what
 * 10,000 streams receive does not share an event loop with the measuring process (the
 * server runs in a third). Each subscriber is a plain HTTP/1.1 connection to
 * `GET /api/events`: a socket, the request, and a scan of what arrives for the
 * generation id of each complete frame, which keeps the client's own cost per
 * delivery small next to the server's.
 *
 * Driven over IPC by bench/lib/sse.ts:
 *   → { open: { origin, apiKey, count, batch } }    ← { opened: number } | { error }
 *   → { collect: { id, expected, timeoutMs } }       ← { id, arrivals: number[] }
 * Arrival times are wall-clock milliseconds (performance.timeOrigin + now()), the
 * clock both processes share.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

type Command =
  | { open: { origin: string; apiKey: string; count: number; batch: number } }
  | { collect: { id: string; expected: number; timeoutMs: number } };

const arrivals = new Map<string, number[]>();
const sockets: Socket[] = [];
const ID = /"generation_id":"([^"]+)"/g;

function clock(): number {
  return performance.timeOrigin + performance.now();
}

function record(text: string): void {
  const at = clock();
  for (const match of text.matchAll(ID)) {
    const list = arrivals.get(match[1]!) ?? [];
    list.push(at);
    arrivals.set(match[1]!, list);
  }
}

/** One subscriber: resolves when the server answered 200 with its headers. */
function subscribe(host: string, port: number, path: string, apiKey: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    sockets.push(socket);
    socket.setEncoding('latin1');
    let head = true;
    let rest = '';
    socket.on('error', reject);
    socket.on('connect', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nAuthorization: Bearer ${apiKey}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.on('data', (chunk: string) => {
      rest += chunk;
      if (head) {
        const end = rest.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = /^HTTP\/1\.1 (\d{3})/.exec(rest)?.[1];
        if (status !== '200') {
          reject(new Error(`GET ${path} answered ${status}: ${rest.slice(0, 200)}`));
          socket.destroy();
          return;
        }
        head = false;
        rest = rest.slice(end + 4);
        resolve();
      }
      // Only complete frames (ended by a blank line) are scanned; the rest waits.
      const end = rest.lastIndexOf('\n\n');
      if (end < 0) return;
      record(rest.slice(0, end));
      rest = rest.slice(end + 2);
    });
  });
}

async function open({ origin, apiKey, count, batch }: { origin: string; apiKey: string; count: number; batch: number }): Promise<number> {
  const url = new URL('/api/events', origin);
  for (let i = 0; i < count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - i) }, () => subscribe(url.hostname, Number(url.port), url.pathname, apiKey)));
  }
  return sockets.length;
}

async function collect({ id, expected, timeoutMs }: { id: string; expected: number; timeoutMs: number }): Promise<number[]> {
  const deadline = performance.now() + timeoutMs;
  while ((arrivals.get(id)?.length ?? 0) < expected && performance.now() < deadline) {
    await new Promise((done) => setTimeout(done, 2));
  }
  const list = arrivals.get(id) ?? [];
  arrivals.delete(id);
  return list;
}

process.on('message', (message: Command) => {
  if ('open' in message) {
    open(message.open).then(
      (opened) => process.send?.({ opened }),
      (err: unknown) => process.send?.({ error: (err as Error).message }),
    );
  } else {
    void collect(message.collect).then((list) => process.send?.({ id: message.collect.id, arrivals: list }));
  }
});
process.on('disconnect', () => {
  for (const socket of sockets) socket.destroy();
  process.exit(0);
});
