/**
 * fal's queue protocol over plain HTTP: submit (`POST {queue}/{app}`), status (`GET
 * .../requests/{id}/status?logs=1`), result (`GET .../requests/{id}`) and cancel (`PUT
 * .../requests/{id}/cancel`), authorised with `Key <FAL_KEY>`. The status, result and
 * cancel URLs come from the submit answer (fal drops the app's sub-path from them); they
 * are rebuilt from the base URL only when an answer lacks them.
 */
import { request } from 'undici';
import { RetakeError } from '../../errors/index.ts';
import { callProvider, type RetryOptions } from '../provider-io/index.ts';

export interface FalRequestRef {
  request_id: string;
  status_url: string;
  response_url: string;
  cancel_url: string;
}

export interface FalStatus {
  /** `IN_QUEUE`, `IN_PROGRESS`, `COMPLETED` (and, on some apps, `FAILED` / `CANCELED`). */
  status: string;
  queue_position?: number;
  logs?: { message?: string }[] | null;
  /** Set on COMPLETED when the app failed. */
  error?: string | null;
  error_type?: string | null;
}

export interface FalClientOptions {
  /** RETAKE_FAL_QUEUE_URL, default `https://queue.fal.run`. */
  queueUrl: string;
  falKey: string;
  retry?: RetryOptions | undefined;
}

export function falQueueClient(options: FalClientOptions) {
  const base = options.queueUrl.replace(/\/+$/, '');
  const headers = { authorization: `Key ${options.falKey}` };
  const call = <T>(method: 'GET' | 'POST' | 'PUT', url: string, signal: AbortSignal, json?: unknown) =>
    callProvider<T>({ provider: 'fal', method, url, headers, json, signal, retry: options.retry });

  return {
    async submit(app: string, input: Record<string, unknown>, signal: AbortSignal): Promise<FalRequestRef> {
      const answer = await call<Partial<FalRequestRef>>('POST', `${base}/${app}`, signal, input);
      if (!answer.request_id) throw new RetakeError('engine_unavailable', 'fal accepted the request but answered no request_id');
      const fallback = `${base}/${app}/requests/${encodeURIComponent(answer.request_id)}`;
      return {
        request_id: answer.request_id,
        status_url: answer.status_url ?? `${fallback}/status`,
        response_url: answer.response_url ?? fallback,
        cancel_url: answer.cancel_url ?? `${fallback}/cancel`,
      };
    },

    status(ref: FalRequestRef, signal: AbortSignal): Promise<FalStatus> {
      const url = new URL(ref.status_url);
      url.searchParams.set('logs', '1');
      return call<FalStatus>('GET', url.toString(), signal);
    },

    result(ref: FalRequestRef, signal: AbortSignal): Promise<Record<string, unknown>> {
      return call<Record<string, unknown>>('GET', ref.response_url, signal);
    },

    /**
     * Ask fal to cancel; best effort and never throws. Runs after the job's own signal has
     * been aborted, so it has its own short timeout.
     */
    async cancel(ref: FalRequestRef): Promise<void> {
      try {
        const res = await request(ref.cancel_url, { method: 'PUT', headers, signal: AbortSignal.timeout(10_000) });
        await res.body.dump();
      } catch {
        // The request finishes on its own; nothing else to do.
      }
    },
  };
}

export type FalQueueClient = ReturnType<typeof falQueueClient>;
