import { describe, expect, it } from 'vitest';
import { readEvents, type SseEvent } from './sse.ts';

/** A streamed response whose body arrives in `chunks`. */
function streamed(chunks: string[]): Response {
  const encoder = new TextEncoder();
  return new Response(new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  }));
}

describe('readEvents', () => {
  it('hands over events with data, skipping keep-alives, until told it is done', async () => {
    const seen: SseEvent[] = [];
    const done = await readEvents(streamed([
      ': keep-alive\n\nid: 1\nevent: media_generation_sta', 'rted\ndata: {"generation_id":"g"}\n\n',
      'data: plain\n\nid: 3\nevent: media_generation_completed\ndata: {}\n\nid: 4\nevent: after\ndata: {}\n\n',
    ]), (event) => {
      seen.push(event);
      return event.event === 'media_generation_completed';
    });
    expect(done).toBe(true);
    expect(seen).toEqual([
      { id: '1', event: 'media_generation_started', data: '{"generation_id":"g"}' },
      { id: undefined, event: 'message', data: 'plain' },
      { id: '3', event: 'media_generation_completed', data: '{}' },
    ]);
  });

  it('answers false when the stream ends first', async () => {
    expect(await readEvents(streamed(['event: a\ndata: 1\n\nevent: b\ndata: 2']), () => false)).toBe(false);
  });
});
