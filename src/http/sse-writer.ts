/**
 * The one server-sent-events writer, used by `/api/events`, Replicate's prediction
 * stream and fal's status stream. A stream takes over the reply and then:
 * - sends a comment every `keepAliveMs`, so proxies and clients do not time it out:
 *   one timer per scope writes the same bytes to every open stream (a timer per
 *   connection cost 10,000 timers at 10,000 subscribers);
 * - closes itself when the client goes, and aborts `signal` so the work behind it
 *   (subscriptions, replays) stops at once;
 * - on server shutdown, ends with a `retry:` hint so EventSource clients reconnect to
 *   another node (a hijacked reply would otherwise hold `close()` forever);
 * - applies backpressure: `drained()` waits until the socket took what was written,
 *   and a client that stops reading while more than {@link MAX_BUFFERED_BYTES} wait
 *   is disconnected (it reconnects and replays) instead of growing the heap;
 * Its users follow the event bus with `followEvents`, whose `onError` logs and ends
 * the stream, so a failing store never becomes an unhandled rejection.
 *
 * A frame that goes to many streams (one event of a key with thousands of
 * subscribers) is encoded once: {@link sharedFrames} keeps the bytes of each event
 * object, and every stream writes the same buffer. Serialising per subscriber was
 * most of the cost of a fan-out.
 */
import { once } from 'node:events';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Reconnect delay suggested to clients when this node closes their stream on shutdown. */
export const SHUTDOWN_RETRY_MS = 1000;
/** Bytes a client may leave unread before it is disconnected. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/**
 * A frame's bytes, encoded once for any number of streams: as they go on a connection
 * without transfer encoding, and as one HTTP/1.1 chunk (size line, frame, CRLF), so a
 * stream writes one shared buffer with one socket write.
 */
export interface EncodedFrame {
  readonly plain: Buffer;
  readonly chunked: Buffer;
}

/** Encode a frame's text for {@link SseStream.send}. */
export function encodeFrame(text: string): EncodedFrame {
  const plain = Buffer.from(text, 'utf8');
  return { plain, chunked: Buffer.concat([Buffer.from(`${plain.length.toString(16)}\r\n`), plain, Buffer.from('\r\n')]) };
}

export interface SseStream {
  /** Aborted when the stream closes, for whatever reason. */
  readonly signal: AbortSignal;
  readonly closed: boolean;
  /** Whether the socket holds more than it wants: await {@link drained} before sending more. */
  readonly full: boolean;
  /** Write one frame (ignored once closed); encode a frame many streams send once, with {@link encodeFrame}. */
  send(frame: string | EncodedFrame): void;
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
 * `encode` memoised per object: the bytes of a frame built once for an event and
 * written by every stream that sends it. The cache holds each object weakly, so it
 * lives as long as the event is in flight.
 */
export function sharedFrames<T extends object>(encode: (value: T) => string): (value: T) => EncodedFrame {
  const encoded = new WeakMap<T, EncodedFrame>();
  return (value) => {
    let frame = encoded.get(value);
    if (!frame) {
      frame = encodeFrame(encode(value));
      encoded.set(value, frame);
    }
    return frame;
  };
}

const KEEP_ALIVE = encodeFrame(': keep-alive\n\n');

/**
 * The stream opener of one Fastify scope: its streams are ended with `retry:` when
 * the server closes.
 */
export function sseStreams(scope: FastifyInstance, options: SseOptions): OpenSse {
  const open = new Set<SseStream>();
  // One keep-alive timer for the scope, running while any stream is open.
  let keepAlive: NodeJS.Timeout | undefined;
  const beat = (): void => {
    for (const stream of open) stream.send(KEEP_ALIVE);
  };
  const opened = (stream: SseStream): void => {
    open.add(stream);
    if (!keepAlive) {
      keepAlive = setInterval(beat, options.keepAliveMs);
      keepAlive.unref();
    }
  };
  const closed = (stream: SseStream): void => {
    open.delete(stream);
    if (open.size === 0 && keepAlive) {
      clearInterval(keepAlive);
      keepAlive = undefined;
    }
  };
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
    // Frames go straight to the socket, as one buffer shared by every stream (the
    // response's own write adds a chunk-size string and two more writes per frame).
    // The response is only bypassed once it owns the socket with its headers sent; a
    // pipelined response still waiting for the socket goes through `res.write`.
    const socket = res.socket;
    const chunked = res.chunkedEncoding;
    const sink = socket ?? res;
    const gone = new AbortController();
    const uncount = options.opened?.();

    // A plain flag beside the signal: `send` runs once per stream and event, and reading
    // an AbortSignal's state costs more than the rest of the check.
    let ended = false;
    const close = (): void => {
      if (ended) return;
      ended = true;
      closed(stream);
      uncount?.();
      gone.abort();
    };
    const stream: SseStream = {
      signal: gone.signal,
      get closed() {
        return ended;
      },
      get full() {
        return sink.writableNeedDrain;
      },
      send(frame) {
        if (ended || sink.destroyed) return;
        if (!socket) {
          res.write(typeof frame === 'string' ? frame : frame.plain);
        } else {
          const bytes = typeof frame === 'string' ? encodeFrame(frame) : frame;
          socket.write(chunked ? bytes.chunked : bytes.plain);
        }
        if (sink.writableLength > MAX_BUFFERED_BYTES) {
          request.log.warn({ buffered: sink.writableLength }, 'event stream client does not read; disconnected');
          res.destroy();
          close();
        }
      },
      async drained() {
        if (ended || !sink.writableNeedDrain) return;
        await once(sink, 'drain', { signal: gone.signal }).catch(() => undefined);
      },
      end(last) {
        if (ended) return;
        close();
        if (!res.destroyed) res.end(last);
      },
    };
    opened(stream);
    request.raw.on('close', close);
    res.on('close', close);
    res.on('error', close);
    return stream;
  };
}
