/**
 * The hosted Luma Ray 3.2 engine, routed by configuration: with `FAL_KEY` it runs through
 * fal's queue, with `LUMA_API_KEY` through Luma's Agents API. With both, fal is used: it
 * is the route the hub documents for this model, its queue reports a position, fal
 * storage takes large uploads (Luma only takes inline bytes), and a cancel reaches it.
 * With neither, the model refuses before anything is queued, naming the variables.
 */
import { RetakeError } from '../../errors/index.ts';
import { createFalEngine } from '../fal/index.ts';
import { createLumaEngine } from '../luma/index.ts';
import type { Engine } from '../types.ts';
import type { HostResolver, RetryOptions } from '../provider-io/index.ts';

export interface HostedEngineOptions {
  /** FAL_KEY: enables the fal route (preferred when both keys are set). */
  falKey?: string | undefined;
  /** LUMA_API_KEY: enables the Luma Agents API route. */
  lumaApiKey?: string | undefined;
  /** RETAKE_FAL_QUEUE_URL, default `https://queue.fal.run`. */
  falQueueUrl?: string | undefined;
  /** RETAKE_FAL_STORAGE_URL, default `https://rest.alpha.fal.ai/storage`. */
  falStorageUrl?: string | undefined;
  /** RETAKE_LUMA_API_URL, default `https://agents.lumalabs.ai/v1`. */
  lumaApiUrl?: string | undefined;
  /** retake's public base URL: its own upload URLs are uploaded or inlined, never sent. Default `http://127.0.0.1:8787`. */
  publicUrl?: string | undefined;
  /** Provider status poll interval, default 2000 ms. */
  pollMs?: number | undefined;
  /** Retries of each provider call. */
  retry?: RetryOptions | undefined;
  /** Retries of each output download. */
  download?: { attempts?: number; baseDelayMs?: number } | undefined;
  /** DNS for the input reachability check (tests). */
  resolve?: HostResolver | undefined;
}

/** The engine behind `luma-ray-v3-2-video-to-video`; accepts the whole Config too. */
export function createHostedEngine(options: HostedEngineOptions): Engine {
  const publicUrl = options.publicUrl ?? 'http://127.0.0.1:8787';
  const common = { publicUrl, pollMs: options.pollMs, retry: options.retry, download: options.download, resolve: options.resolve };
  if (options.falKey) {
    return createFalEngine({
      falKey: options.falKey,
      queueUrl: options.falQueueUrl ?? 'https://queue.fal.run',
      storageUrl: options.falStorageUrl ?? 'https://rest.alpha.fal.ai/storage',
      ...common,
    });
  }
  if (options.lumaApiKey) {
    return createLumaEngine({ apiKey: options.lumaApiKey, apiUrl: options.lumaApiUrl ?? 'https://agents.lumalabs.ai/v1', ...common });
  }
  const refuse = () => new RetakeError(
    'provider_not_configured',
    'luma-ray-v3-2-video-to-video runs on the hosted Luma Ray 3.2 model: set FAL_KEY (fal queue) or LUMA_API_KEY (Luma Agents API) on the server to enable it, or use model "retake-local".',
  );
  return {
    id: 'hosted',
    assertAvailable() {
      throw refuse();
    },
    render() {
      return Promise.reject(refuse());
    },
  };
}
