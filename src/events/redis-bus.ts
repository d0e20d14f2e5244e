/**
 * The scale-out event bus: every event is persisted in the store first (the source of
 * truth for `Last-Event-ID` replay), delivered to this process's subscribers at once,
 * and published on one Redis channel; every other process delivers it to its own
 * subscribers. Each process subscribes once, whatever the number of SSE clients.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { StoredEvent, Store } from '../store/types.ts';
import { KeyFanout } from './local-bus.ts';
import type { EventBus } from './types.ts';

export interface RedisEventBusOptions {
  /** Redis pub/sub channel shared by every process of one deployment. Default `retake:events`. */
  channel?: string;
  /**
   * Redis errors (a failed publish, a dropped connection). The bus keeps going: stored
   * events reach other nodes' clients on their next reconnect. Default: ignored.
   */
  onError?: (err: Error) => void;
}

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

  // A publish fails fast when Redis is away rather than holding up the job that sent it.
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const subscriber = new Redis(redisUrl);
  publisher.on('error', onError);
  subscriber.on('error', onError);
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const envelope = parse(message);
    if (envelope && envelope.origin !== origin) fanout.deliver(envelope.event);
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
      fanout.deliver(stored);
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
