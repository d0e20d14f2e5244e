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
import type { Retake } from '../../retake.ts';
import type { StoredEvent } from '../../store/types.ts';
import { keyOf } from '../../http/route-config.ts';

const REPLAY_PAGE = 500;
/** Reconnect delay suggested to clients when this node closes their stream on shutdown. */
const SHUTDOWN_RETRY_MS = 1000;

interface EventsQuery {
  generation_id?: string;
  last_event_id?: string;
}

function parseId(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** One event in the SSE wire format. */
export function sseFrame(event: StoredEvent): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export function registerEvents(app: FastifyInstance, retake: Retake): void {
  // Open streams, ended by the server's preClose (a hijacked reply would hold close() forever).
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
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
    const wanted = (e: StoredEvent) => generationId === undefined || e.generation_id === generationId;

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();

    let closed = false;
    // Ids written by the replay: a live delivery of the same event (a bus may lag behind
    // the store) is dropped. Live events are otherwise written as they come, so events
    // published concurrently by several workers are never lost to an ordering check.
    const replayed = new Set<number>();
    let replaying = true;
    // Live events arriving while the replay is read wait here, then go out in order.
    let pending: StoredEvent[] | undefined = [];
    const write = (e: StoredEvent) => {
      if (closed || !wanted(e) || replayed.has(e.id) || (lastId !== undefined && e.id <= lastId)) return;
      if (replaying) replayed.add(e.id);
      res.write(sseFrame(e));
    };
    const unsubscribe = retake.events.subscribe(key.id, (e) => {
      if (pending) pending.push(e);
      else write(e);
    });
    const keepAlive = setInterval(() => {
      if (!closed) res.write(': keep-alive\n\n');
    }, retake.config.keepAliveMs);
    const sseClosed = retake.metrics.sseOpened();
    const cleanup = () => {
      if (closed) return;
      closed = true;
      clearInterval(keepAlive);
      unsubscribe();
      sseClosed();
      open.delete(endForShutdown);
    };
    const endForShutdown = () => {
      if (!closed) res.end(`retry: ${SHUTDOWN_RETRY_MS}\n\n`);
      cleanup();
    };
    open.add(endForShutdown);
    request.raw.on('close', cleanup);
    res.on('close', cleanup);
    res.on('error', cleanup);

    try {
      if (lastId !== undefined || generationId !== undefined) {
        let cursor = lastId ?? 0;
        for (;;) {
          const page = await retake.store.events.listAfter(key.id, cursor, generationId, REPLAY_PAGE);
          for (const e of page) write(e);
          cursor = page.at(-1)?.id ?? cursor;
          if (page.length < REPLAY_PAGE || closed) break;
        }
      }
    } catch (err) {
      request.log.error({ err }, 'event replay failed');
      cleanup();
      res.end();
      return;
    }
    const live = pending;
    pending = undefined;
    for (const e of live.sort((a, b) => a.id - b.id)) write(e);
    replaying = false;
  });
}
