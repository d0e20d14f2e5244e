/**
 * The one server-sent-events writer, used by `/api/events`, Replicate's prediction
 * stream and fal's status stream. A stream takes over the reply and then:
 * - sends a comment every `keepAliveMs`, so proxies and clients do not time it out;
 * - closes itself when the client goes, and aborts `signal` so the work behind it
 *   (subscriptions, replays) stops at once;
 * - on server shutdown, ends with a `retry:` hint so EventSource clients reconnect to
 *   another node (a hijacked reply would otherwise hold `close()` forever);
 * - applies backpressure: `drained()` waits until the socket took what was written,
 *   and a client that stops reading while more than {@link MAX_BUFFERED_BYTES} wait
 *   is disconnected (it reconnects and replays) instead of growing the heap;
 * Its users follow the event bus with `followEvents`, whose `onError` logs and ends
 * the stream, so a failing store never becomes an unhandled rejection.
 */
import { once } from 'node:events';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Reconnect delay suggested to clients when this node closes their stream on shutdown. */
export const SHUTDOWN_RETRY_MS = 1000;
/** Bytes a client may leave unread before it is disconnected. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export interface SseStream {
  /** Aborted when the stream closes, for whatever reason. */
  readonly signal: AbortSignal;
  readonly closed: boolean;
  /** Write one frame (ignored once closed). */
  send(frame: string): void;
  /** Resolves once the socket has taken what was written, or the stream closed. */
  drained(): Promise<void>;
  /** End the stream (after an optional last frame). */
  end(last?: string): void;
}

export interface SseOptions {
  keepAliveMs: number;
  /** Counts open streams (metrics); returns the function that uncounts one. */
  opened?: () => () => void;
}

export type OpenSse = (request: FastifyRequest, reply: FastifyReply, headers?: Record<string, string>) => SseStream;

/** One data frame: `data:` per line, with optional `event:` and `id:`. */
export function sseFrame(data: string, event?: string, id?: number | string): string {
  const head = `${event === undefined ? '' : `event: ${event}\n`}${id === undefined ? '' : `id: ${id}\n`}`;
  return `${head}data: ${data.replace(/\r?\n/g, '\ndata: ')}\n\n`;
}

/**
 * The stream opener of one Fastify scope: its streams are ended with `retry:` when
 * the server closes.
 */
export function sseStreams(scope: FastifyInstance, options: SseOptions): OpenSse {
  const open = new Set<SseStream>();
  scope.addHook('preClose', async () => {
    for (const stream of [...open]) stream.end(`retry: ${SHUTDOWN_RETRY_MS}\n\n`);
  });

  return (request, reply, headers = {}) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...headers,
    });
    res.flushHeaders();
    const gone = new AbortController();
    const uncount = options.opened?.();
    const keepAlive = setInterval(() => stream.send(': keep-alive\n\n'), options.keepAliveMs);
    keepAlive.unref();

    const close = (): void => {
      if (gone.signal.aborted) return;
      clearInterval(keepAlive);
      open.delete(stream);
      uncount?.();
      gone.abort();
    };
    const stream: SseStream = {
      signal: gone.signal,
      get closed() {
        return gone.signal.aborted;
      },
      send(frame) {
        if (gone.signal.aborted || res.destroyed) return;
        res.write(frame);
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          request.log.warn({ buffered: res.writableLength }, 'event stream client does not read; disconnected');
          res.destroy();
          close();
        }
      },
      async drained() {
        if (gone.signal.aborted || !res.writableNeedDrain) return;
        await once(res, 'drain', { signal: gone.signal }).catch(() => undefined);
      },
      end(last) {
        if (gone.signal.aborted) return;
        close();
        if (!res.destroyed) res.end(last);
      },
    };
    open.add(stream);
    request.raw.on('close', close);
    res.on('close', close);
    res.on('error', close);
    return stream;
  };
}
