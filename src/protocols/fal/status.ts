/**
 * A generation as fal's queue sees it: `IN_QUEUE` with its `queue_position`,
 * `IN_PROGRESS` with `logs`, `COMPLETED` (also for a failed or cancelled job, which
 * carries `error` and `error_type`; its result call answers the error), and the
 * result object `{video: File}`.
 */
import { RetakeError, isErrorCode } from '../../errors/index.ts';
import type { GenerationRow, Store } from '../../store/types.ts';
import { generationLog } from '../generation-log.ts';
import { appOf, endpointOf } from './endpoints.ts';

export interface FalContext {
  store: Pick<Store, 'events' | 'generations'>;
  publicUrl: string;
  blobUrl: (key: string) => string;
}

/** The request's URLs, on retake's mount of fal's queue host. */
export function requestUrls(row: GenerationRow, publicUrl: string) {
  const base = `${publicUrl}/fal/queue/${appOf(endpointOf(row.model))}/requests/${row.id}`;
  return { request_id: row.id, response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` };
}

/** The error a finished-but-unsuccessful request answers, or undefined on success. */
export function failureOf(row: GenerationRow): RetakeError | undefined {
  if (row.status === 'cancelled') return new RetakeError('cancelled', `Request ${row.id} was cancelled`);
  if (row.status !== 'failed') return undefined;
  return new RetakeError(isErrorCode(row.error_code) ? row.error_code : 'render_failed', row.error_message ?? undefined);
}

export async function falStatus(row: GenerationRow, ctx: FalContext, withLogs: boolean): Promise<Record<string, unknown>> {
  const urls = requestUrls(row, ctx.publicUrl);
  const logs = withLogs
    ? (await generationLog(ctx.store, row)).map((l) => ({ message: l.message, level: l.level, source: 'USER', timestamp: new Date(l.at).toISOString() }))
    : null;
  switch (row.status) {
    case 'queued':
      return { status: 'IN_QUEUE', ...urls, queue_position: await ctx.store.generations.queuedBefore(row.key_id, row.enqueued_at) };
    case 'processing':
      return { status: 'IN_PROGRESS', ...urls, logs };
    case 'succeeded':
    case 'failed':
    case 'cancelled': {
      const failure = failureOf(row);
      const inference = row.started_at !== null && row.completed_at !== null ? (row.completed_at - row.started_at) / 1000 : null;
      return {
        status: 'COMPLETED', ...urls, logs,
        metrics: inference === null ? {} : { inference_time: inference },
        ...(failure ? { error: failure.detail, error_type: failure.code } : {}),
      };
    }
  }
}

/** fal's File object of a stored output. */
function file(row: GenerationRow, index: number, blobUrl: (key: string) => string): Record<string, unknown> | undefined {
  const out = row.outputs[index];
  if (!out) return undefined;
  return { url: blobUrl(out.blob), content_type: out.content_type, file_name: out.blob.split('/').pop(), file_size: out.bytes };
}

/** The result of a succeeded request: `{video}` (and `exr_zip` with exr_export). */
export function falResult(row: GenerationRow, blobUrl: (key: string) => string): Record<string, unknown> {
  const result: Record<string, unknown> = { video: file(row, 0, blobUrl) };
  const exr = row.outputs.findIndex((o) => o.kind === 'exr');
  if (exr >= 0) result.exr_zip = file(row, exr, blobUrl);
  return result;
}
