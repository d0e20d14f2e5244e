/**
 * Turns stored generation rows into the hub's queue row: ISO times, the request
 * parameters flattened beside the row's own fields, and retake's extensions
 * (error_code, stage, eta_s, outputs, interpretation, warnings).
 */
import type { GenerationRow } from '../store/types.ts';

type BlobUrl = (key: string) => string;

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The hub's queue row for one generation (also used in history and events). */
export function formatGeneration(row: GenerationRow, blobUrl: BlobUrl): Record<string, unknown> {
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
