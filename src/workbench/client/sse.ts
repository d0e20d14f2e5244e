/**
 * Server-sent events over fetch: EventSource cannot send the Authorization header, so
 * the stream is read with a ReadableStream reader and split into frames by the client's
 * parser.
 */
import { parseFrames } from '../../client/sse-frames.ts';

export interface SseEvent {
  id?: string | undefined;
  event: string;
  data: string;
}

/**
 * Read an event stream until `onEvent` returns true (done), the stream ends or `signal`
 * aborts. Resolves true when `onEvent` said done. Frames without data (keep-alives) are
 * not events; an event without a type is a `message`.
 */
export async function readEvents(response: Response, onEvent: (event: SseEvent) => boolean, signal?: AbortSignal): Promise<boolean> {
  if (!response.body) return false;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const stop = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', stop, { once: true });
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      const parsed = parseFrames(buffer + value);
      buffer = parsed.rest;
      for (const { id, event, data } of parsed.frames) {
        if (data !== undefined && onEvent({ id, event: event ?? 'message', data })) return true;
      }
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
  }
}
