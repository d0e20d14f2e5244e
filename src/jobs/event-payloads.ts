/** The hub's event payloads, built from a generation row. */
import type { NewEvent, GenerationRow } from '../store/types.ts';
import type { EventType } from '../events/types.ts';

/** `media_generation_completed` for a terminal row (`url` on success, `error` on failure). */
export function completedEvent(row: GenerationRow, blobUrl: (key: string) => string): NewEvent & { type: EventType } {
  const base = { generation_id: row.id, status: row.status, media_type: 'video', model: row.model };
  const first = row.outputs[0];
  const data =
    row.status === 'succeeded' && first
      ? { ...base, url: blobUrl(first.blob) }
      : { ...base, error: row.error_message ?? 'failed', error_code: row.error_code };
  return { key_id: row.key_id, generation_id: row.id, type: 'media_generation_completed', data };
}
