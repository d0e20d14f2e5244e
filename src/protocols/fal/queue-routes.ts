/**
 * fal's queue protocol on `/fal/queue` (fal's `queue.fal.run`) and its synchronous
 * twin on `/fal/run` (`fal.run`): submit (with `?fal_webhook=`), status (`?logs=1`),
 * status stream (SSE until COMPLETED), result with `x-fal-request-id`, and cancel.
 * Requests are retake generations, submitted, priced and owned exactly as on the hub
 * routes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { followEvents } from '../../events/follow.ts';
import { keyOf } from '../../http/route-config.ts';
import { sseFrame, sseStreams } from '../../http/sse-writer.ts';
import { submitOnce } from '../../http/submit-once.ts';
import { RetakeError } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';
import type { GenerationRow } from '../../store/types.ts';
import { TERMINAL_STATUSES } from '../../store/types.ts';
import { falProblems, modelOfEndpoint, toRetakeInput } from './endpoints.ts';
import { failureOf, falResult, falStatus, requestUrls, type FalContext } from './status.ts';

type RequestParams = { owner: string; alias: string; id: string };

function inputOf(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RetakeError('validation_error', 'The body must be the input object', { fields: [{ field: '', message: 'body must be a JSON object' }] });
  }
  return body as Record<string, unknown>;
}

/** Validation problems reported in fal's field names. */
function inFalNames(err: unknown): unknown {
  if (err instanceof RetakeError && err.fields?.length) {
    const fields = falProblems(err.fields);
    return new RetakeError(err.code, fields.map((f) => f.message).join('; '), { cause: err, fields, headers: err.headers });
  }
  return err;
}

export function registerQueueRoutes(scope: FastifyInstance, retake: Retake, ctx: FalContext): void {
  const openSse = sseStreams(scope, { keepAliveMs: retake.config.keepAliveMs, opened: () => retake.metrics.sseOpened() });
  async function submit(request: FastifyRequest<{ Params: { '*': string }; Querystring: { fal_webhook?: string } }>): Promise<GenerationRow> {
    const model = modelOfEndpoint(request.params['*']);
    const webhook = request.query.fal_webhook;
    try {
      const [row] = await submitOnce(retake, request, {
        key: keyOf(request), model: model.id, body: toRetakeInput(inputOf(request.body)), count: 1,
        webhookUrl: webhook, webhookOptions: webhook === undefined ? undefined : { format: 'fal' },
      });
      if (!row) throw new RetakeError('internal_error', 'No generation was created');
      request.sideEffect = true;
      return row;
    } catch (err) {
      throw inFalNames(err);
    }
  }

  const own = (request: FastifyRequest<{ Params: RequestParams }>) => retake.generations.get(keyOf(request), request.params.id);
  const withId = (reply: FastifyReply, id: string) => reply.header('x-fal-request-id', id);

  scope.post<{ Params: { '*': string }; Querystring: { fal_webhook?: string } }>('/queue/*', async (request, reply) => {
    const row = await submit(request);
    return withId(reply, row.id).send({
      status: 'IN_QUEUE', ...requestUrls(row, ctx.publicUrl), queue_position: await ctx.store.generations.queuedBefore(row.key_id, row.enqueued_at),
    });
  });

  scope.get<{ Params: RequestParams; Querystring: { logs?: string } }>('/queue/:owner/:alias/requests/:id/status', async (request, reply) => {
    const row = await own(request);
    return withId(reply, row.id).send(await falStatus(row, ctx, request.query.logs === '1'));
  });

  scope.get<{ Params: RequestParams; Querystring: { logs?: string } }>('/queue/:owner/:alias/requests/:id/status/stream', async (request, reply) => {
    const first = await own(request);
    const withLogs = request.query.logs === '1';
    const stream = openSse(request, reply, { 'x-fal-request-id': first.id });
    let last = '';
    // Each change of the status object is one event; the stream ends after COMPLETED.
    const look = async (): Promise<void> => {
      const row = await retake.store.generations.get(first.id);
      if (!row || stream.closed) return stream.end();
      const status = await falStatus(row, ctx, withLogs);
      const text = JSON.stringify(status);
      if (text !== last) stream.send(sseFrame(text));
      last = text;
      if (status.status === 'COMPLETED') stream.end();
      else await stream.drained();
    };
    const fail = (err: unknown): void => {
      request.log.error({ err, generation_id: first.id }, 'status stream failed');
      stream.end();
    };
    // The status moves with the key's events: this request's own, and (its queue
    // position) the start of the key's earlier requests. Looks run one at a time, and
    // events that come while one waits to run are answered by that one.
    let chain = Promise.resolve();
    let waiting = false;
    const lookSoon = (): void => {
      if (waiting || stream.closed) return;
      waiting = true;
      chain = chain.then(() => {
        waiting = false;
        return look();
      }).catch(fail);
    };
    followEvents({ bus: retake.events, store: retake.store }, { keyId: first.key_id, signal: stream.signal, onEvent: lookSoon, onError: fail });
    lookSoon();
  });

  scope.get<{ Params: RequestParams }>('/queue/:owner/:alias/requests/:id', async (request, reply) => {
    const row = await own(request);
    withId(reply, row.id);
    if (!TERMINAL_STATUSES.includes(row.status)) throw new RetakeError('bad_request', `Request ${row.id} is still in progress`);
    const failure = failureOf(row);
    if (failure) throw failure;
    return reply.send(falResult(row, ctx.blobUrl));
  });

  scope.put<{ Params: RequestParams }>('/queue/:owner/:alias/requests/:id/cancel', async (request, reply) => {
    const row = await own(request);
    withId(reply, row.id);
    try {
      await retake.generations.cancel(keyOf(request), row.id);
    } catch (err) {
      if (err instanceof RetakeError && err.code === 'not_cancellable') return reply.code(400).send({ status: 'ALREADY_COMPLETED' });
      throw err;
    }
    return reply.code(202).send({ status: 'CANCELLATION_REQUESTED' });
  });

  // fal.run: the same request, answered when it is done.
  scope.post<{ Params: { '*': string }; Querystring: { fal_webhook?: string } }>('/run/*', async (request, reply) => {
    const row = await submit(request);
    withId(reply, row.id);
    const done = await retake.generations.waitForTerminal(row.id, retake.config.syncTimeoutMs);
    const failure = failureOf(done);
    if (failure) throw failure;
    return reply.send(falResult(done, ctx.blobUrl));
  });
}
