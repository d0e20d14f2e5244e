/**
 * Turns stored generation rows into the hub's queue row: ISO times, the request
 * parameters flattened beside the row's own fields, and retake's extensions
 * (error_code, stage, eta_s, outputs, interpretation, warnings).
 */
import type { VideoRequest } from '../models/request.ts';
import type { GenerationRow, GenerationStatus, OutputFile } from '../store/types.ts';

type BlobUrl = (key: string) => string;

/** One generation as the queue, the history and the events answer it. */
export type QueueRow = Omit<VideoRequest, 'prompt'> & {
  generation_id: string;
  model_name: string;
  prompt: string;
  media_type: 'video';
  status: GenerationStatus;
  result_url: string | null;
  error_message: string | null;
  /** ISO 8601 times. */
  enqueued_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  cost: number;
  progress: number;
  error_code: string | null;
  stage: string | null;
  eta_s: number | null;
  outputs: { kind: OutputFile['kind']; url: string; content_type: string; bytes: number }[];
  interpretation: GenerationRow['interpretation'];
  warnings: string[];
};

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The hub's queue row for `row` (also used in history and events). */
export function toQueueRow(row: GenerationRow, blobUrl: BlobUrl): QueueRow {
  const outputs = row.outputs.map((o) => ({ kind: o.kind, url: blobUrl(o.blob), content_type: o.content_type, bytes: o.bytes }));
  const { prompt: _prompt, ...parameters } = row.request;
  return {
    generation_id: row.id,
    model_name: row.model,
    prompt: row.prompt,
    media_type: 'video',
    status: row.status,
    result_url: outputs[0]?.url ?? null,
    error_message: row.error_message,
    enqueued_at: iso(row.enqueued_at),
    started_at: iso(row.started_at),
    completed_at: iso(row.completed_at),
    ...parameters,
    cost: row.cost,
    progress: row.progress,
    error_code: row.error_code,
    stage: row.stage,
    eta_s: row.eta_s,
    outputs,
    interpretation: row.interpretation,
    warnings: row.warnings,
  };
}
