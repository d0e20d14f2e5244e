/**
 * A generation as Replicate's prediction object: statuses `starting | processing |
 * succeeded | failed | canceled`, `output` the video URL (with the EXR sidecar, a list
 * of both), `logs` as text, `metrics`, and `urls` for get, cancel and stream.
 */
import type { GenerationRow, GenerationStatus, StoredEvent, Store } from '../../store/types.ts';
import { generationLog, logOf } from '../generation-log.ts';
import { OWNER, versionOf } from './model-ref.ts';
import { streamToken } from './stream-token.ts';

export type PredictionStatus = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled';

const STATUS: Record<GenerationStatus, PredictionStatus> = {
  queued: 'starting',
  processing: 'processing',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'canceled',
};

export interface PredictionContext {
  store: Pick<Store, 'events'>;
  publicUrl: string;
  blobUrl(key: string): string;
  /** Secret the stream URL's token is signed with. */
  streamSecret: string;
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

export function predictionStatus(status: GenerationStatus): PredictionStatus {
  return STATUS[status];
}

/**
 * The prediction object of one generation; `events` are its events when the caller
 * has read them already (a list reads a whole page's in one query).
 */
export async function toPrediction(row: GenerationRow, ctx: PredictionContext, events?: readonly StoredEvent[]): Promise<Record<string, unknown>> {
  const base = `${ctx.publicUrl}/v1/predictions/${row.id}`;
  const urls = row.outputs.map((o) => ctx.blobUrl(o.blob));
  const output = row.status !== 'succeeded' ? null : urls.length === 1 ? urls[0] : urls;
  const lines = events ? logOf(events) : await generationLog(ctx.store, row);
  const logs = lines.map((l) => l.message).join('\n');
  const done = row.completed_at !== null;
  return {
    id: row.id,
    model: `${OWNER}/${row.model}`,
    version: versionOf(row.model),
    input: row.request,
    logs,
    output,
    data_removed: false,
    error: row.status === 'failed' ? row.error_message ?? row.error_code ?? 'failed' : null,
    error_code: row.status === 'failed' ? row.error_code : null,
    status: STATUS[row.status],
    source: 'api',
    created_at: iso(row.enqueued_at),
    started_at: iso(row.started_at),
    completed_at: iso(row.completed_at),
    urls: { get: base, cancel: `${base}/cancel`, stream: `${base}/stream?token=${streamToken(ctx.streamSecret, row.id)}` },
    metrics: done
      ? {
          predict_time: row.started_at !== null ? (row.completed_at! - row.started_at) / 1000 : 0,
          total_time: (row.completed_at! - row.enqueued_at) / 1000,
        }
      : {},
    progress: row.progress,
    cost: row.cost,
  };
}
