/**
 * Splits a generation request body into the envelope (model, num_generations,
 * webhook_url, response_format) and the model's request, and collects every problem
 * with both at once so one 422 lists them all.
 */
import { RetakeError, type FieldProblem } from '../errors/index.ts';
import { ENVELOPE_FIELDS, requestError, requestProblems } from '../models/index.ts';

export interface GenerationBody {
  model: string;
  count: number;
  webhookUrl: string | undefined;
  responseFormat: 'url' | 'b64_json';
  /** The model request fields (envelope removed). */
  request: Record<string, unknown>;
}

type EnvelopeField = (typeof ENVELOPE_FIELDS)[number];

/** Which envelope fields a route accepts. */
export type Accepts = Partial<Record<Exclude<EnvelopeField, 'model'>, boolean>>;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function envelopeProblems(body: Record<string, unknown>, accepts: Accepts): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { model, num_generations: n, webhook_url: hook, response_format: format } = body;
  if (typeof model !== 'string' || model.length === 0) problems.push({ field: 'model', message: 'model is required (a model id, e.g. retake-local)' });
  if (n !== undefined && (!accepts.num_generations || typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 4)) {
    problems.push({ field: 'num_generations', message: accepts.num_generations ? 'num_generations must be an integer from 1 to 4' : 'num_generations is not accepted here' });
  }
  if (hook !== undefined && (!accepts.webhook_url || typeof hook !== 'string' || !isHttpUrl(hook))) {
    problems.push({ field: 'webhook_url', message: accepts.webhook_url ? 'webhook_url must be an http(s) URL' : 'webhook_url is not accepted here' });
  }
  if (format !== undefined && (!accepts.response_format || (format !== 'url' && format !== 'b64_json'))) {
    problems.push({ field: 'response_format', message: accepts.response_format ? 'response_format must be url or b64_json' : 'response_format is not accepted here' });
  }
  return problems;
}

/**
 * Parse a generation body; throws a 422 (`validation_error`, or a keyframe code) listing every problem with
 * the envelope and the model request together. Entitlements and the model's existence
 * are checked later by the generation service.
 */
export function parseGenerationBody(body: unknown, accepts: Accepts): GenerationBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RetakeError('validation_error', 'body must be a JSON object', { fields: [{ field: '', message: 'body must be a JSON object' }] });
  }
  const all = body as Record<string, unknown>;
  const request: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(all)) {
    if (!(ENVELOPE_FIELDS as readonly string[]).includes(name)) request[name] = value;
  }
  const problems = [...envelopeProblems(all, accepts), ...requestProblems(request)];
  if (problems.length > 0) throw requestError(problems);
  return {
    model: all.model as string,
    count: (all.num_generations as number | undefined) ?? 1,
    webhookUrl: all.webhook_url as string | undefined,
    responseFormat: (all.response_format as 'url' | 'b64_json' | undefined) ?? 'url',
    request,
  };
}
