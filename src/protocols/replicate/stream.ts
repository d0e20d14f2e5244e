/**
 * `urls.stream`: a prediction's server-sent events in Replicate's vocabulary — `logs`
 * for each progress line, `output` with the video URL, `error`, then `done` (with
 * `{"reason": "canceled"|"error"}` when it did not succeed). The URL is signed, as
 * Replicate's clients open it without their key.
 */
import type { FastifyInstance } from 'fastify';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';
import type { StoredEvent } from '../../store/types.ts';
import { eventText } from '../generation-log.ts';
import { isStreamToken } from './stream-token.ts';

function frames(event: StoredEvent, outputs: () => Promise<string[]>): Promise<string[]> | string[] {
  const d = event.data;
  const frame = (name: string, data: string) => `event: ${name}\nid: ${event.id}\ndata: ${data.replace(/\n/g, '\ndata: ')}\n\n`;
  switch (event.type) {
    case 'media_generation_progress':
      return [frame('logs', `${eventText(d.stage, 'working')} ${Math.round(Number(d.progress ?? 0) * 100)}%`)];
    case 'media_generation_completed':
      if (d.status === 'succeeded') {
        return outputs().then((urls) => [
          ...urls.map((u) => frame('output', u)),
          frame('done', '{}'),
        ]);
      }
      return [frame('error', eventText(d.error, 'failed')), frame('done', JSON.stringify({ reason: 'error' }))];
    case 'media_generation_cancelled':
      return [frame('done', JSON.stringify({ reason: 'canceled' }))];
    default:
      return [];
  }
}

export function registerStreamRoute(scope: FastifyInstance, retake: Retake, secret: string): void {
  scope.get<{ Params: { id: string }; Querystring: { token?: string } }>('/predictions/:id/stream', async (request, reply) => {
    const { id } = request.params;
    const row = isStreamToken(secret, id, request.query.token) ? await retake.store.generations.get(id) : undefined;
    if (!row) throw new RetakeError('generation_not_found', `Prediction not found: ${id}`);
    const outputs = async () => ((await retake.store.generations.get(id))?.outputs ?? []).map((o) => retake.blobUrl(o.blob));

    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    let closed = false;
    let lastId = 0;
    let chain: Promise<void> = Promise.resolve();
    const write = (e: StoredEvent) => {
      if (e.generation_id !== id || e.id <= lastId) return;
      lastId = e.id;
      chain = chain.then(async () => {
        if (closed) return;
        for (const f of await frames(e, outputs)) res.write(f);
        if (e.type === 'media_generation_completed' || e.type === 'media_generation_cancelled') end();
      });
    };
    const pending: StoredEvent[] = [];
    let replaying = true;
    const unsubscribe = retake.events.subscribe(row.key_id, (e) => (replaying ? pending.push(e) : write(e)));
    const end = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      res.end();
    };
    request.raw.on('close', end);
    for (const e of await retake.store.events.listAfter(row.key_id, 0, id)) write(e);
    replaying = false;
    for (const e of pending.sort((a, b) => a.id - b.id)) write(e);
  });
}
