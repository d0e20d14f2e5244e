/**
 * Runs one generation in any of the three modes the API offers: sync (one held POST),
 * async with polling, and async with server-sent events. Every mode reports progress the
 * same way and resolves with the final queue row, so the page shows them alike.
 */
import type { KnownInterpretation } from '../../engines/index.ts';
import { ApiError, type Api } from './api.ts';
import type { Mode } from './snippets.ts';
import { readEvents } from './sse.ts';

/** The queue row fields the Workbench shows. */
export interface Row {
  generation_id: string;
  model_name: string;
  prompt: string;
  status: 'queued' | 'processing' | 'succeeded' | 'failed' | 'cancelled';
  result_url: string | null;
  error_message: string | null;
  error_code?: string | null;
  enqueued_at: string | null;
  completed_at?: string | null;
  cost: number | null;
  progress: number | null;
  stage: string | null;
  eta_s: number | null;
  input_video?: string;
  input_image?: string;
  outputs?: { kind: string; url: string; content_type: string; bytes: number }[];
  interpretation?: KnownInterpretation | null;
  warnings?: string[] | null;
  [field: string]: unknown;
}

export interface Progress {
  status: string;
  stage?: string | null;
  progress?: number | null;
  eta_s?: number | null;
}

export interface RunHooks {
  /** The generation's id is known (cancel becomes possible). */
  started(id: string): void;
  progress(progress: Progress): void;
}

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
const POLL_MS = 400;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function queue(api: Api, body: Record<string, unknown>): Promise<string> {
  const answer = await api.json<{ generations: { generation_id: string }[] }>('POST', '/api/ai/queue', body);
  const id = answer.generations[0]?.generation_id;
  if (!id) throw new ApiError(500, 'internal_error', 'The server queued nothing');
  return id;
}

const readRow = (api: Api, id: string) => api.json<Row>('GET', `/api/ai/queue/${encodeURIComponent(id)}`);

async function poll(api: Api, id: string, hooks: RunHooks): Promise<Row> {
  for (;;) {
    const row = await readRow(api, id);
    if (TERMINAL.has(row.status)) return row;
    hooks.progress(row);
    await sleep(POLL_MS);
  }
}

async function follow(api: Api, id: string, hooks: RunHooks): Promise<Row> {
  const response = await api.fetch(`/api/events?generation_id=${encodeURIComponent(id)}`, { headers: { accept: 'text/event-stream' } });
  if (!response.ok) return poll(api, id, hooks);
  await readEvents(response, (event) => {
    if (event.event === 'media_generation_started') hooks.progress({ status: 'processing', stage: 'starting' });
    if (event.event === 'media_generation_progress') hooks.progress({ ...(JSON.parse(event.data) as Progress), status: 'processing' });
    return event.event === 'media_generation_completed' || event.event === 'media_generation_cancelled';
  });
  // The completion event carries only the URL; the row has outputs and interpretation.
  // A stream that ended early (server restart) falls back to polling.
  return poll(api, id, hooks);
}

/**
 * The sync call holds one POST open and only answers at the end, so the page watches the
 * key's live events alongside it to learn the generation's id (for progress and cancel):
 * the first generation to start with this request's prompt and input is ours.
 */
async function sync(api: Api, body: Record<string, unknown>, hooks: RunHooks): Promise<Row> {
  const watching = new AbortController();
  let id: string | undefined;
  const events = await api.fetch('/api/events', { headers: { accept: 'text/event-stream' }, signal: watching.signal }).catch(() => undefined);
  const checked = new Set<string>();
  const watch = events?.ok ? readEvents(events, (event) => {
    const data = JSON.parse(event.data) as Progress & { generation_id?: string };
    const gid = data.generation_id;
    if (!gid) return false;
    if (id === undefined && !checked.has(gid)) {
      checked.add(gid);
      void readRow(api, gid).then((row) => {
        if (id === undefined && row.prompt === body.prompt && row.input_video === body.input_video) {
          id = gid;
          hooks.started(gid);
        }
      }, () => undefined);
    }
    if (gid === id && event.event === 'media_generation_progress') hooks.progress({ ...data, status: 'processing' });
    return false;
  }, watching.signal).catch(() => false) : Promise.resolve(false);
  try {
    const answer = await api.json<{ generation_id: string }>('POST', '/api/ai/videos/generate', body);
    return await readRow(api, answer.generation_id);
  } catch (err) {
    // A cancelled or failed sync call answers with an error; the row tells the story.
    if (err instanceof ApiError && err.status !== 422 && err.status !== 401 && id !== undefined) return readRow(api, id);
    throw err;
  } finally {
    watching.abort();
    await watch;
  }
}

/** Run one generation in `mode`; resolves with its terminal row. */
export async function runGeneration(api: Api, mode: Mode, body: Record<string, unknown>, hooks: RunHooks): Promise<Row> {
  switch (mode) {
    case 'sync':
      return sync(api, body, hooks);
    case 'poll': {
      const id = await queue(api, body);
      hooks.started(id);
      hooks.progress({ status: 'queued' });
      return poll(api, id, hooks);
    }
    case 'sse': {
      const id = await queue(api, body);
      hooks.started(id);
      hooks.progress({ status: 'queued' });
      return follow(api, id, hooks);
    }
  }
}

/** Cancel a queued or running generation. */
export async function cancelGeneration(api: Api, id: string): Promise<void> {
  await api.json('DELETE', `/api/ai/queue/${encodeURIComponent(id)}`);
}
