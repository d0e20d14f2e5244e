/**
 * Luma's Agents API over plain HTTP (no SDK for Node is needed for two calls): create a
 * generation (`POST {base}/generations`) and read it (`GET {base}/generations/{id}`),
 * authorised with `Bearer <LUMA_API_KEY>`. The API documents no cancel or delete for a
 * running generation, so a cancelled job only stops following it.
 */
import { RetakeError } from '../../errors/index.ts';
import { callProvider, type RetryOptions } from '../provider-io/index.ts';
import type { LumaVideoEditRequest } from './agents-api-types.ts';

export interface LumaGeneration {
  id: string;
  /** `queued`, `processing`, `completed` or `failed`. */
  state: string;
  /** `content_moderated`, `generation_failed`, `budget_exhausted`, `output_not_found` ... */
  failure_code?: string | null;
  failure_reason?: string | null;
  /** Presigned URLs, valid for an hour. */
  output?: { type?: string; media_type?: string; url?: string }[] | null;
}

export interface LumaClientOptions {
  /** RETAKE_LUMA_API_URL, default `https://agents.lumalabs.ai/v1`. */
  apiUrl: string;
  apiKey: string;
  retry?: RetryOptions | undefined;
}

export function lumaClient(options: LumaClientOptions) {
  const base = options.apiUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${options.apiKey}` };
  return {
    async create(body: LumaVideoEditRequest, signal: AbortSignal): Promise<LumaGeneration> {
      const generation = await callProvider<LumaGeneration>({
        provider: 'Luma', method: 'POST', url: `${base}/generations`, headers, json: body, signal, retry: options.retry,
      });
      if (!generation.id) throw new RetakeError('engine_unavailable', 'Luma accepted the generation but answered no id');
      return generation;
    },
    get(id: string, signal: AbortSignal): Promise<LumaGeneration> {
      return callProvider<LumaGeneration>({
        provider: 'Luma', method: 'GET', url: `${base}/generations/${encodeURIComponent(id)}`, headers, signal, retry: options.retry,
      });
    },
  };
}
