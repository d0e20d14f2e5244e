/**
 * `GET /api/events`: server-sent events of the key's generations. On connect it
 * replays persisted events after `Last-Event-ID` (header, or `last_event_id` query),
 * then streams live ones. It subscribes before reading the replay and drops ids it
 * has already written, so an event published during the replay is sent exactly once.
 * With `?generation_id=` and no Last-Event-ID, that generation's whole history is
 * replayed, so a client that subscribes late still sees the completion.
 * When the server shuts down, each stream gets a `retry:` hint and is closed, so
 * EventSource clients reconnect (with Last-Event-ID) to another node at once.
 */
import type { FastifyInstance } from 'fastify';
import { followEvents } from '../../events/follow.ts';
import { sharedFrames, sseFrame, sseStreams } from '../../http/sse-writer.ts';
import type { Retake } from '../../retake.ts';
import type { StoredEvent } from '../../store/types.ts';
import { keyOf } from '../../http/route-config.ts';

interface EventsQuery {
  generation_id?: string;
  last_event_id?: string;
}

function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** One event in the SSE wire format. */
export function eventFrame(event: StoredEvent): string {
  return sseFrame(JSON.stringify(event.data), event.type, event.id);
}

/** The bytes of {@link eventFrame}, encoded once per event whatever the number of subscribers. */
const eventBytes = sharedFrames(eventFrame);

export function registerEvents(app: FastifyInstance, retake: Retake): void {
  const openSse = sseStreams(app, { keepAliveMs: retake.config.keepAliveMs, opened: () => retake.metrics.sseOpened() });
  app.get<{ Querystring: EventsQuery }>('/api/events', {
    schema: {
      querystring: {
        type: 'object',
        properties: { generation_id: { type: 'string', maxLength: 200 }, last_event_id: { type: 'string', maxLength: 20 } },
      },
    },
    config: {
      doc: {
        summary: 'Server-sent events of this key\'s generations (reconnect with Last-Event-ID to replay)',
        tags: ['events'],
        responses: { 200: { description: 'An event stream', contentType: 'text/event-stream' } },
      },
    },
  }, async (request, reply) => {
    const key = keyOf(request);
    const generationId = request.query.generation_id;
    const lastId = parseId(request.headers['last-event-id']) ?? parseId(request.query.last_event_id);
    const stream = openSse(request, reply);
    followEvents({ bus: retake.events, store: retake.store }, {
      keyId: key.id,
      generationId,
      // Without a position or a generation there is nothing to replay: live events only.
      replayAfter: lastId ?? (generationId === undefined ? undefined : 0),
      signal: stream.signal,
      // Synchronous unless the socket is full: the bus's delivery writes to every
      // subscriber in one pass, with no promise per subscriber.
      onEvent: (e) => {
        stream.send(eventBytes(e));
        return stream.full ? stream.drained() : undefined;
      },
      onError: (err) => {
        request.log.error({ err }, 'event replay failed');
        stream.end();
      },
    });
  });
}
