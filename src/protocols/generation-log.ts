/**
 * A generation's log as other protocols show it (Replicate's `logs` text, fal's
 * `logs` list): one line per stage change and progress step, read from the persisted
 * events, so every API node tells the same story and a reconnecting client loses
 * nothing.
 */
import type { GenerationRow, StoredEvent, Store } from '../store/types.ts';

export { text as eventText };

export interface LogLine {
  /** Epoch milliseconds. */
  at: number;
  message: string;
  level: 'INFO' | 'ERROR';
}

const text = (value: unknown, fallback: string): string =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;

function lineOf(type: string, data: Record<string, unknown>): { message: string; level: LogLine['level'] } | undefined {
  switch (type) {
    case 'media_generation_started':
      return { message: `started (attempt ${text(data.attempt, '1')})`, level: 'INFO' };
    case 'media_generation_progress': {
      const pct = typeof data.progress === 'number' ? Math.round(data.progress * 100) : 0;
      return { message: `${text(data.stage, 'working')} ${pct}%`, level: 'INFO' };
    }
    case 'media_generation_completed':
      return data.status === 'succeeded'
        ? { message: 'done', level: 'INFO' }
        : { message: `failed: ${text(data.error_code, 'error')}: ${text(data.error, '')}`, level: 'ERROR' };
    case 'media_generation_cancelled':
      return { message: 'cancelled', level: 'INFO' };
    default:
      return undefined;
  }
}

/** The log lines of a generation, oldest first, without repeats of the same line. */
export async function generationLog(store: Pick<Store, 'events'>, row: GenerationRow): Promise<LogLine[]> {
  return logOf(await store.events.listAfter(row.key_id, 0, row.id));
}

/** The log lines of one generation's events (oldest first). */
export function logOf(events: readonly StoredEvent[]): LogLine[] {
  const lines: LogLine[] = [];
  for (const e of events) {
    const line = lineOf(e.type, e.data);
    if (line && line.message !== lines.at(-1)?.message) lines.push({ at: e.created_at, ...line });
  }
  return lines;
}
