/**
 * `GET /api/events` as an async iterator over fetch (browsers and Node alike). When
 * the connection drops it reconnects with `Last-Event-ID`, so the server replays what
 * was missed and each event is yielded exactly once; ids at or below the last one seen
 * are skipped in case a replay overlaps.
 */
import { RetakeApiError } from './errors.ts';
import type { RetakeEvent } from './types.ts';

export interface EventsOptions {
  /** Only this generation's events (from its first, when no lastEventId is given). */
  generationId?: string;
  /** Resume after this event id. */
  lastEventId?: number;
  /** Ends the iteration. */
  signal?: AbortSignal;
  /** First reconnect delay in ms, doubled up to 10 s; default 500. */
  retryMs?: number;
}

export interface Connection {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
}

/** Parse SSE blocks out of a byte stream. */
async function* frames(body: ReadableStream<Uint8Array>): AsyncGenerator<{ id?: string; event?: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const frame: { id?: string; event?: string; data: string } = { data: '' };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'data') frame.data += (frame.data ? '\n' : '') + value;
        else if (field === 'id' || field === 'event') frame[field] = value;
      }
      if (frame.event || frame.data) yield frame;
    }
  }
}

const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => {
    clearTimeout(timer);
    resolve();
  }, { once: true });
});

export async function* streamEvents(conn: Connection, options: EventsOptions = {}): AsyncGenerator<RetakeEvent> {
  let lastId = options.lastEventId;
  const base = options.retryMs ?? 500;
  let delay = base;
  while (!options.signal?.aborted) {
    const url = new URL(conn.url);
    if (options.generationId !== undefined) url.searchParams.set('generation_id', options.generationId);
    const headers: Record<string, string> = { ...conn.headers, accept: 'text/event-stream' };
    if (lastId !== undefined) headers['last-event-id'] = String(lastId);
    let res: Response | undefined;
    try {
      res = await conn.fetch(url, { headers, signal: options.signal });
    } catch {
      // Unreachable for now: wait and try again, as EventSource does.
    }
    if (res && !res.ok) {
      const body: unknown = await res.json().catch(() => undefined);
      // Client errors (bad key, bad query) do not heal by retrying.
      if (res.status < 500 && res.status !== 429) throw new RetakeApiError(res.status, body);
    } else if (res?.body) {
      try {
        for await (const frame of frames(res.body)) {
          const id = frame.id === undefined ? NaN : Number(frame.id);
          if (!frame.event || !Number.isFinite(id) || (lastId !== undefined && id <= lastId)) continue;
          lastId = id;
          delay = base;
          yield { id, type: frame.event as RetakeEvent['type'], data: JSON.parse(frame.data) as RetakeEvent['data'] };
        }
      } catch {
        // The connection dropped mid-stream: reconnect below.
      }
    }
    if (options.signal?.aborted) return;
    await sleep(delay, options.signal);
    delay = Math.min(10_000, delay * 2);
  }
}
