/**
 * `urls.stream`: a prediction's server-sent events in Replicate's vocabulary — `logs`
 * for each progress line, `output` with the video URL, `error`, then `done` (with
 * `{"reason": "canceled"|"error"}` when it did not succeed). The URL is signed, as
 * Replicate's clients open it without their key.
 */
import type { FastifyInstance } from 'fastify';
import { RetakeError } from '../../errors/index.ts';
import { followEvents } from '../../events/follow.ts';
import { sseFrame, sseStreams } from '../../http/sse-writer.ts';
import type { Retake } from '../../retake.ts';
import type { StoredEvent } from '../../store/types.ts';
import { eventText } from '../generation-log.ts';
import { isStreamToken } from './stream-token.ts';

async function frames(event: StoredEvent, outputs: () => Promise<string[]>): Promise<string[]> {
  const d = event.data;
  const frame = (name: string, data: string) => sseFrame(data, name, event.id);
  switch (event.type) {
    case 'media_generation_progress':
      return [frame('logs', `${eventText(d.stage, 'working')} ${Math.round(Number(d.progress ?? 0) * 100)}%`)];
    case 'media_generation_completed':
      if (d.status === 'succeeded') return [...(await outputs()).map((u) => frame('output', u)), frame('done', '{}')];
      return [frame('error', eventText(d.error, 'failed')), frame('done', JSON.stringify({ reason: 'error' }))];
    case 'media_generation_cancelled':
      return [frame('done', JSON.stringify({ reason: 'canceled' }))];
    default:
      return [];
  }
}

export function registerStreamRoute(scope: FastifyInstance, retake: Retake, secret: string): void {
  const openSse = sseStreams(scope, { keepAliveMs: retake.config.keepAliveMs, opened: () => retake.metrics.sseOpened() });
  scope.get<{ Params: { id: string }; Querystring: { token?: string } }>('/predictions/:id/stream', async (request, reply) => {
    const { id } = request.params;
    const row = isStreamToken(secret, id, request.query.token) ? await retake.store.generations.get(id) : undefined;
    if (!row) throw new RetakeError('generation_not_found', `Prediction not found: ${id}`);
    const outputs = async () => ((await retake.store.generations.get(id))?.outputs ?? []).map((o) => retake.blobUrl(o.blob));

    const stream = openSse(request, reply);
    // The prediction's whole history, then its live events, until it ends.
    followEvents({ bus: retake.events, store: retake.store }, {
      keyId: row.key_id,
      generationId: id,
      replayAfter: 0,
      signal: stream.signal,
      onEvent: async (e) => {
        for (const f of await frames(e, outputs)) stream.send(f);
        if (e.type === 'media_generation_completed' || e.type === 'media_generation_cancelled') stream.end();
        else await stream.drained();
      },
      onError: (err) => {
        request.log.error({ err, generation_id: id }, 'prediction stream failed');
        stream.end();
      },
    });
  });
}
