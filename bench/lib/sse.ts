/**
 * Many SSE subscribers on one key, each on its own connection, recording when each
 * event (by generation id) reaches each subscriber.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'undici';
import { frameSplitter, type SseFrame } from '../../src/client/sse-frames.ts';
import { sleep } from './stats.ts';

export interface Subscribers {
  count: number;
  /** Arrival times (performance.now) of events for `generationId`, one per subscriber that got it. */
  arrivals(generationId: string): number[];
  /** Resolves when `expected` subscribers got the event, or after `timeoutMs`. */
  waitFor(generationId: string, expected: number, timeoutMs: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Open `count` subscribers of `GET /api/events`, `batch` connections at a time. */
export async function openSubscribers(origin: string, apiKey: string, count: number, batch = 100): Promise<Subscribers> {
  const arrivals = new Map<string, number[]>();
  const clients: Client[] = [];
  const onFrame = ({ data }: SseFrame): void => {
    if (!data) return;
    const id = (JSON.parse(data) as { generation_id?: string }).generation_id;
    if (!id) return;
    const list = arrivals.get(id) ?? [];
    list.push(performance.now());
    arrivals.set(id, list);
  };

  const open = async (): Promise<void> => {
    // bodyTimeout 0: an idle event stream is normal, not a stalled body.
    const client = new Client(origin, { bodyTimeout: 0, headersTimeout: 30_000 });
    clients.push(client);
    const res = await client.request({ method: 'GET', path: '/api/events', headers: { authorization: `Bearer ${apiKey}`, accept: 'text/event-stream' } });
    if (res.statusCode !== 200) throw new Error(`GET /api/events answered ${res.statusCode}`);
    res.body.setEncoding('utf8');
    res.body.on('data', frameSplitter(onFrame));
    res.body.on('error', () => undefined);
  };

  for (let i = 0; i < count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - i) }, open));
  }

  return {
    count,
    arrivals: (id) => arrivals.get(id) ?? [],
    async waitFor(id, expected, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      while ((arrivals.get(id)?.length ?? 0) < expected && performance.now() < deadline) await sleep(2);
      return arrivals.get(id) ?? [];
    },
    async close() {
      await Promise.all(clients.map((c) => c.destroy().catch(() => undefined)));
    },
  };
}
