/**
 * `POST /api/ai/videos/generate`: the synchronous call. Queues one generation and holds
 * the connection until it is terminal. If the client goes away the generation is not
 * aborted: it finishes and stays in the history.
 */
import type { FastifyInstance } from 'fastify';
import { RetakeError, isErrorCode } from '../../errors/index.ts';
import type { Retake } from '../../retake.ts';
import type { GenerationRow } from '../../store/types.ts';
import { keyOf } from '../../http/route-config.ts';
import { generationBodySchema } from '../schemas.ts';
import { parseGenerationBody } from '../generation-body.ts';
import { submitOnce } from '../../http/submit-once.ts';

async function readAll(retake: Retake, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of retake.blobs.read(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The error a failed or cancelled generation answers with. */
function failureOf(row: GenerationRow): RetakeError {
  if (row.status === 'cancelled') return new RetakeError('cancelled', `Generation ${row.id} was cancelled`);
  const code = isErrorCode(row.error_code) ? row.error_code : 'render_failed';
  return new RetakeError(code, row.error_message ?? undefined);
}

export function registerGenerate(app: FastifyInstance, retake: Retake): void {
  app.post('/api/ai/videos/generate', {
    config: {
      doc: {
        summary: 'Generate a video synchronously (holds the connection until it is ready)',
        tags: ['generate'],
        body: generationBodySchema(['model', 'response_format']),
        responses: {
          200: {
            description: 'The finished video',
            schema: {
              type: 'object',
              required: ['model', 'created', 'generation_id', 'videos'],
              properties: {
                model: { type: 'string' },
                created: { type: 'integer', description: 'Unix seconds' },
                generation_id: { type: 'string' },
                videos: { type: 'array', items: { type: 'object', properties: { url: { type: 'string' }, b64_json: { type: 'string' } } } },
              },
            },
          },
        },
      },
    },
  }, async (request) => {
    const key = keyOf(request);
    const body = parseGenerationBody(request.body, { response_format: true });
    const [row] = await submitOnce(retake, request, { key, model: body.model, body: body.request, count: 1 });
    if (!row) throw new RetakeError('internal_error', 'No generation was created');
    request.sideEffect = true;
    const done = await retake.generations.waitForTerminal(row.id, retake.config.syncTimeoutMs);
    const main = done.outputs[0];
    if (done.status !== 'succeeded' || !main) throw failureOf(done);
    const video = body.responseFormat === 'b64_json'
      ? { b64_json: (await readAll(retake, main.blob)).toString('base64') }
      : { url: retake.blobUrl(main.blob) };
    return {
      model: done.model,
      created: Math.floor((done.completed_at ?? Date.now()) / 1000),
      generation_id: done.id,
      videos: [video],
    };
  });
}
