/**
 * `GET /api/events` as an async iterator over fetch (browsers and Node alike). When
 * the connection drops it reconnects with `Last-Event-ID`, so the server replays what
 * was missed and each event is yielded exactly once; ids at or below the last one seen
 * are skipped in case a replay overlaps.
 */
import { RetakeApiError } from './errors.ts';
import { parseFrames, type SseFrame } from './sse-frames.ts';
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

/** The frames of a byte stream, as they complete. */
async function* frames(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    const parsed = parseFrames(rest + decoder.decode(chunk, { stream: true }));
    rest = parsed.rest;
    yield* parsed.frames;
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
          if (!frame.event || frame.data === undefined || !Number.isFinite(id) || (lastId !== undefined && id <= lastId)) continue;
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
