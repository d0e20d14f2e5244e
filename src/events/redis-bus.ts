/**
 * The scale-out event bus: every event is persisted in the store first (the source of
 * truth for `Last-Event-ID` replay), delivered to this process's subscribers at once,
 * and published on one Redis channel; every other process delivers it to its own
 * subscribers. Each process subscribes once, whatever the number of SSE clients.
 *
 * Pub/sub drops whatever is published while a subscriber is disconnected (Redis
 * restarting, a network cut). When the subscription comes back, the bus reads the
 * events its subscribers' keys got in the meantime from the store and delivers them;
 * ids already delivered are skipped, so every event reaches a live stream once.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { StoredEvent, Store } from '../store/types.ts';
import { KeyFanout } from './local-bus.ts';
import type { EventBus } from './types.ts';

export interface RedisEventBusOptions {
  /** Redis pub/sub channel shared by every process of one deployment. Default `retake:events`. */
  channel?: string;
  /** Delay of the second catch-up read after a reconnect (covers the resubscribe race). Default 1000 ms. */
  catchUpDelayMs?: number;
  /**
   * Redis errors (a failed publish, a dropped connection). The bus keeps going: stored
   * events reach other nodes' clients on their next reconnect. Default: ignored.
   */
  onError?: (err: Error) => void;
}

/** How many delivered ids a process remembers to drop duplicates of a catch-up. */
const REMEMBERED_IDS = 20_000;
/** A catch-up starts this many ids before the highest seen, for publishes that were in flight at the cut. */
const CATCH_UP_MARGIN = 1000;
const CATCH_UP_PAGE = 500;

/** What travels on the channel: the stored event and the process that published it. */
interface Envelope {
  origin: string;
  event: StoredEvent;
}

/**
 * Create the Redis bus; resolves once this process is subscribed, so no event published
 * after that is missed.
 */
export async function createRedisEventBus(store: Store, redisUrl: string, options: RedisEventBusOptions = {}): Promise<EventBus> {
  const channel = options.channel ?? 'retake:events';
  const onError = options.onError ?? (() => undefined);
  // This process's own events are delivered directly (no round trip, no Redis needed), so it skips their echo.
  const origin = randomUUID();
  const fanout = new KeyFanout();
  const delivered = new Set<number>();
  let highest = await store.events.latestId();
  /** Deliver once: an id seen before (live, or in an earlier catch-up) is dropped. */
  const deliver = (event: StoredEvent): void => {
    if (delivered.has(event.id)) return;
    delivered.add(event.id);
    if (delivered.size > REMEMBERED_IDS) delivered.delete(delivered.values().next().value!);
    highest = Math.max(highest, event.id);
    fanout.deliver(event);
  };
  let cutFrom: number | undefined;
  async function catchUp(from: number): Promise<void> {
    for (const keyId of fanout.keys()) {
      let cursor = from;
      for (;;) {
        const page = await store.events.listAfter(keyId, cursor, undefined, CATCH_UP_PAGE);
        for (const event of page) deliver(event);
        cursor = page.at(-1)?.id ?? cursor;
        if (page.length < CATCH_UP_PAGE) break;
      }
    }
  }

  // A publish fails fast when Redis is away rather than holding up the job that sent it.
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const subscriber = new Redis(redisUrl);
  publisher.on('error', onError);
  subscriber.on('error', onError);
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const envelope = parse(message);
    if (envelope && envelope.origin !== origin) deliver(envelope.event);
  });
  subscriber.on('close', () => {
    cutFrom ??= Math.max(0, highest - CATCH_UP_MARGIN);
  });
  subscriber.on('ready', () => {
    if (cutFrom === undefined) return;
    const from = cutFrom;
    cutFrom = undefined;
    const report = (err: unknown) => onError(err instanceof Error ? err : new Error(String(err)));
    void catchUp(from).catch(report);
    // ioredis resubscribes right after 'ready'; a second read covers events published in between.
    setTimeout(() => void catchUp(from).catch(report), options.catchUpDelayMs ?? 1000).unref();
  });
  try {
    await subscriber.subscribe(channel);
  } catch (err) {
    publisher.disconnect();
    subscriber.disconnect();
    throw err;
  }

  return {
    async publish(event) {
      const stored = await store.events.append(event);
      deliver(stored);
      const envelope: Envelope = { origin, event: stored };
      await publisher.publish(channel, JSON.stringify(envelope)).catch((err: unknown) => {
        onError(err instanceof Error ? err : new Error(String(err)));
      });
      return stored;
    },
    subscribe: (keyId, listener) => fanout.subscribe(keyId, listener),
    async close() {
      await Promise.all([
        subscriber.quit().catch(() => subscriber.disconnect()),
        publisher.quit().catch(() => publisher.disconnect()),
      ]);
    },
  };
}

/** A message from another process, or undefined when it is not one of ours. */
function parse(message: string): Envelope | undefined {
  try {
    const value = JSON.parse(message) as Partial<Envelope> | null;
    const event = value?.event;
    if (typeof value?.origin !== 'string' || !event || typeof event.key_id !== 'string' || typeof event.id !== 'number') return undefined;
    return { origin: value.origin, event };
  } catch {
    return undefined;
  }
}
