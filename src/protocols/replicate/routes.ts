/**
 * Replicate's predictions API over retake's generations: create (by model or by
 * version, with `Prefer: wait`), get, list in pages of `{results, next}`, cancel, and
 * the default webhook secret. Inputs are the model's own request fields, validated
 * and priced by the generation service exactly as on the hub routes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { keyOf } from '../../http/route-config.ts';
import { submitOnce } from '../../http/submit-once.ts';
import { RetakeError } from '../../errors/index.ts';
import type { ModelInfo } from '../../models/index.ts';
import type { Retake } from '../../retake.ts';
import type { GenerationPosition, GenerationRow, StoredEvent } from '../../store/types.ts';
import { keyWebhookSecret } from '../../jobs/webhook-signing.ts';
import { modelFromName, modelFromVersion, OWNER, versionOf } from './model-ref.ts';
import { preferWaitSeconds } from './prefer-wait.ts';
import { toPrediction, type PredictionContext } from './prediction.ts';
import { WEBHOOK_EVENTS } from './webhook.ts';

const PAGE_SIZE = 100;

interface CreateBody {
  input?: unknown;
  version?: unknown;
  webhook?: unknown;
  webhook_events_filter?: unknown;
  stream?: unknown;
}

function bodyOf(request: FastifyRequest): CreateBody {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RetakeError('validation_error', 'body must be a JSON object with "input"', { fields: [{ field: 'input', message: 'input is required' }] });
  }
  return body;
}

function webhookOf(body: CreateBody): { url?: string; events?: string[] } {
  if (body.webhook === undefined || body.webhook === null) {
    if (body.webhook_events_filter !== undefined) {
      throw new RetakeError('validation_error', 'webhook_events_filter needs a webhook', { fields: [{ field: 'webhook_events_filter', message: 'webhook_events_filter needs a webhook' }] });
    }
    return {};
  }
  if (typeof body.webhook !== 'string') {
    throw new RetakeError('validation_error', 'webhook must be a URL', { fields: [{ field: 'webhook', message: 'webhook must be a URL' }] });
  }
  const filter = body.webhook_events_filter;
  if (filter === undefined) return { url: body.webhook };
  if (!Array.isArray(filter) || filter.length === 0 || !filter.every((e) => typeof e === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(e))) {
    const message = `webhook_events_filter must list some of ${WEBHOOK_EVENTS.join(', ')}`;
    throw new RetakeError('validation_error', message, { fields: [{ field: 'webhook_events_filter', message }] });
  }
  return { url: body.webhook, events: [...new Set(filter as string[])] };
}

/**
 * Page cursors, opaque to clients: a position in the key's newest-first list (the
 * rows after it, or the rows before it), so a page neither repeats nor skips a
 * prediction when new ones are created while a client pages. `{o}` offset cursors
 * handed out by earlier versions are still read.
 */
type Cursor = { offset: number } | { before: GenerationPosition } | { after: GenerationPosition };

function encodeCursor(side: 'b' | 'a', row: GenerationRow): string {
  return Buffer.from(JSON.stringify({ [side]: [row.enqueued_at, row.id] })).toString('base64url');
}

function positionOf(value: unknown): GenerationPosition | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [at, id] = value as unknown[];
  // A time in milliseconds and an id, as handed out: nothing a database would reject.
  return typeof at === 'number' && Number.isSafeInteger(at) && at >= 0 && typeof id === 'string' && id.length <= 128 ? { enqueued_at: at, id } : undefined;
}

/** Furthest an offset cursor may point (far past any real list; within every database's integers). */
const MAX_OFFSET = 2 ** 31 - 1;

function decodeCursor(cursor: string | undefined): Cursor {
  if (!cursor) return { offset: 0 };
  try {
    const { o, b, a } = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { o?: unknown; b?: unknown; a?: unknown };
    if (typeof o === 'number' && Number.isSafeInteger(o) && o >= 0 && o <= MAX_OFFSET) return { offset: o };
    const before = positionOf(b);
    if (before) return { before };
    const after = positionOf(a);
    if (after) return { after };
  } catch {
    // fall through to the error below
  }
  throw new RetakeError('bad_request', 'Invalid cursor');
}

export function registerPredictionRoutes(scope: FastifyInstance, retake: Retake, ctx: PredictionContext): void {
  const present = (row: GenerationRow) => toPrediction(row, ctx);

  async function create(request: FastifyRequest, model: ModelInfo, body: CreateBody) {
    const key = keyOf(request);
    if (typeof body.input !== 'object' || body.input === null || Array.isArray(body.input)) {
      throw new RetakeError('validation_error', 'input must be an object of the model\'s inputs', { fields: [{ field: 'input', message: 'input is required' }] });
    }
    const hook = webhookOf(body);
    const [row] = await submitOnce(retake, request, {
      key, model: model.id, body: body.input, count: 1,
      webhookUrl: hook.url,
      webhookOptions: hook.url === undefined ? undefined : { format: 'replicate', ...(hook.events ? { events: hook.events } : {}) },
    });
    if (!row) throw new RetakeError('internal_error', 'No generation was created');
    request.sideEffect = true;
    const wait = preferWaitSeconds(request.headers.prefer);
    if (wait === undefined) return present(row);
    try {
      return await present(await retake.generations.waitForTerminal(row.id, wait * 1000));
    } catch (err) {
      if (!(err instanceof RetakeError) || err.code !== 'generation_timeout') throw err;
      // Replicate's clients treat any other unfinished status as final in blocking
      // mode; `starting` is what makes them go on polling.
      return { ...(await present(await retake.generations.get(key, row.id))), status: 'starting' };
    }
  }

  scope.post<{ Params: { owner: string; name: string } }>('/models/:owner/:name/predictions', async (request, reply) => {
    const model = modelFromName(request.params.owner, request.params.name);
    return reply.code(201).send(await create(request, model, bodyOf(request)));
  });

  scope.post('/predictions', async (request, reply) => {
    const body = bodyOf(request);
    return reply.code(201).send(await create(request, modelFromVersion(body.version), body));
  });

  scope.get<{ Params: { id: string } }>('/predictions/:id', async (request) =>
    present(await retake.generations.get(keyOf(request), request.params.id)));

  scope.post<{ Params: { id: string } }>('/predictions/:id/cancel', async (request) => {
    const key = keyOf(request);
    try {
      return await present(await retake.generations.cancel(key, request.params.id));
    } catch (err) {
      // Replicate answers a finished prediction as it is; only unknown ids are errors.
      if (err instanceof RetakeError && err.code === 'not_cancellable') return present(await retake.generations.get(key, request.params.id));
      throw err;
    }
  });

  scope.get<{ Querystring: { cursor?: string; page_size?: string } }>('/predictions', async (request) => {
    const key = keyOf(request);
    const cursor = decodeCursor(request.query.cursor);
    const size = Math.max(1, Math.min(PAGE_SIZE, Number(request.query.page_size) || PAGE_SIZE));
    // One row more than the page says whether there is more in the direction read.
    const { rows } = await retake.generations.list({
      key_id: key.id, limit: size + 1, offset: 'offset' in cursor ? cursor.offset : 0,
      before: 'before' in cursor ? cursor.before : undefined, after: 'after' in cursor ? cursor.after : undefined,
    });
    const more = rows.length > size;
    // Read backwards, the extra row is the newest, first in the list.
    const page = 'after' in cursor ? rows.slice(more ? 1 : 0) : rows.slice(0, size);
    const [first, last] = [page[0], page.at(-1)];
    const link = (side: 'b' | 'a', row: GenerationRow | undefined) => {
      if (!row) return null;
      const url = new URL(`${retake.config.publicUrl}/v1/predictions`);
      url.searchParams.set('cursor', encodeCursor(side, row));
      if (request.query.page_size !== undefined) url.searchParams.set('page_size', String(size));
      return url.toString();
    };
    const cameFromNewer = 'before' in cursor || ('offset' in cursor && cursor.offset > 0);
    // The page's logs in one query, not one per prediction.
    const events = new Map<string, StoredEvent[]>();
    for (const e of await retake.store.events.ofGenerations(key.id, page.map((r) => r.id))) {
      const of = events.get(e.generation_id);
      if (of) of.push(e);
      else events.set(e.generation_id, [e]);
    }
    return {
      previous: 'after' in cursor ? (more ? link('a', first) : null) : cameFromNewer ? link('a', first) : null,
      next: 'after' in cursor || more ? link('b', last) : null,
      results: await Promise.all(page.map((row) => toPrediction(row, ctx, events.get(row.id) ?? []))),
    };
  });

  scope.get<{ Params: { owner: string; name: string } }>('/models/:owner/:name', async (request) => {
    const model = modelFromName(request.params.owner, request.params.name);
    return {
      url: `${retake.config.publicUrl}/v1/models/${OWNER}/${model.id}`,
      owner: OWNER,
      name: model.id,
      description: model.summary,
      visibility: 'public',
      latest_version: { id: versionOf(model.id), created_at: new Date(model.created * 1000).toISOString() },
    };
  });

  scope.get('/webhooks/default/secret', async (request) => ({
    key: keyWebhookSecret(retake.serverSecret, keyOf(request).id),
  }));
}
