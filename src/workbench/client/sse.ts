/**
 * Server-sent events over fetch: EventSource cannot send the Authorization header, so
 * the stream is read with a ReadableStream reader and split into frames here.
 */

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Split complete frames off `buffer`; returns them and the unfinished rest. */
export function parseFrames(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const text = buffer.replace(/\r\n?/g, '\n');
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const event: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') event.id = value;
    }
    if (data.length === 0) continue;
    event.data = data.join('\n');
    events.push(event);
  }
  return { events, rest };
}

/**
 * Read an event stream until `onEvent` returns true (done), the stream ends or `signal`
 * aborts. Resolves true when `onEvent` said done.
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
      buffer += value;
      const parsed = parseFrames(buffer);
      buffer = parsed.rest;
      for (const event of parsed.events) {
        if (onEvent(event)) return true;
      }
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
  }
}
