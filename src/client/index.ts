/**
 * `retake/client`: a typed client for retake's own API, for Node and browsers (fetch
 * only). Request and answer types are generated from the server's OpenAPI document.
 *
 * ```ts
 * const retake = new Retake({ baseUrl: 'http://127.0.0.1:8787', apiKey: process.env.RETAKE_KEY });
 * const { generations } = await retake.queue({ model: 'retake-local', prompt: 'noir', input_video: url });
 * const done = await retake.wait(generations[0].generation_id);
 * ```
 */
import { RetakeApiError } from './errors.ts';
import { streamEvents, type EventsOptions } from './sse.ts';
import type {
  Estimate, EstimateRequest, GenerateRequest, GenerateResult, Generation, GenerationList, ListQuery,
  ModelList, QueueRequest, QueueResult, RetakeEvent, UploadedFile,
} from './types.ts';

export { RetakeApiError, type FieldProblem } from './errors.ts';
export type { EventsOptions } from './sse.ts';
export type * from './types.ts';

export interface RetakeOptions {
  /** Where retake listens, e.g. `http://127.0.0.1:8787`. */
  baseUrl: string;
  /** A retake API key (`rtk_...`). */
  apiKey: string;
  /** fetch to use; default the global one. */
  fetch?: typeof fetch;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Sent as `Idempotency-Key` on POSTs: a retry never runs or charges twice. */
  idempotencyKey?: string;
}

export interface WaitOptions {
  signal?: AbortSignal;
  /** Called with each progress, start and end event of the generation. */
  onEvent?: (event: RetakeEvent) => void;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

export class Retake {
  readonly baseUrl: string;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;

  constructor(options: RetakeOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async #call<T>(method: string, path: string, options: CallOptions & { json?: unknown; form?: FormData } = {}): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.#apiKey}` };
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let res: Response;
    try {
      res = await this.#fetch(`${this.baseUrl}${path}`, {
        method, headers, signal: options.signal,
        body: options.form ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
      });
    } catch (err) {
      if (options.signal?.aborted) throw err;
      throw new RetakeApiError(0, { error: { type: 'network_error', detail: `retake at ${this.baseUrl} could not be reached` } }, { cause: err });
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) throw new RetakeApiError(res.status, body);
    return body as T;
  }

  /** Generate one video and wait for it (the connection is held until it is ready). */
  generate(request: GenerateRequest, options?: CallOptions): Promise<GenerateResult> {
    return this.#call('POST', '/api/ai/videos/generate', { ...options, json: request });
  }

  /** Queue 1..4 generations; validated and priced before anything is queued. */
  queue(request: QueueRequest, options?: CallOptions): Promise<QueueResult> {
    return this.#call('POST', '/api/ai/queue', { ...options, json: request });
  }

  /** One generation of this key. */
  get(id: string, options?: CallOptions): Promise<Generation> {
    return this.#call('GET', `/api/ai/queue/${encodeURIComponent(id)}`, options);
  }

  /** Cancel a queued or running generation. */
  cancel(id: string, options?: CallOptions): Promise<Generation> {
    return this.#call('DELETE', `/api/ai/queue/${encodeURIComponent(id)}`, options);
  }

  /** This key's generations, newest first. */
  list(query: ListQuery = {}, options?: CallOptions): Promise<GenerationList> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
    const qs = params.toString();
    return this.#call('GET', `/api/ai/queue${qs ? `?${qs}` : ''}`, options);
  }

  /** The model catalogue, each with its request JSON Schema. */
  models(options?: CallOptions): Promise<ModelList> {
    return this.#call('GET', '/api/ai/models', options);
  }

  /** Validate and price a request without running it. */
  estimate(request: EstimateRequest, options?: CallOptions): Promise<Estimate> {
    return this.#call('POST', '/api/ai/estimate', { ...options, json: request });
  }

  /** Upload a video or image; the answer's `url` works as `input_video` / `input_image`. */
  upload(file: Blob, filename = (file as { name?: string }).name ?? 'upload', options?: CallOptions): Promise<UploadedFile> {
    const form = new FormData();
    form.append('file', file, filename);
    return this.#call('POST', '/api/files', { ...options, form });
  }

  /** This key's events as they happen; resumes after a dropped connection, each event once. */
  events(options: EventsOptions = {}): AsyncGenerator<RetakeEvent> {
    return streamEvents({ url: `${this.baseUrl}/api/events`, headers: { authorization: `Bearer ${this.#apiKey}` }, fetch: this.#fetch }, options);
  }

  /** Follow one generation's events until it ends; answers its final row. */
  async wait(id: string, options: WaitOptions = {}): Promise<Generation> {
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    try {
      for await (const event of this.events({ generationId: id, signal })) {
        options.onEvent?.(event);
        const ended = event.type === 'media_generation_cancelled'
          || (event.type === 'media_generation_completed' && TERMINAL.has(String(event.data.status)));
        if (ended) break;
      }
    } finally {
      stop.abort();
    }
    options.signal?.throwIfAborted();
    return this.get(id);
  }
}
