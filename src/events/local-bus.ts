/**
 * The embedded event bus: every event is persisted in the store first (so an SSE
 * reconnect with `Last-Event-ID` can replay it), then handed to the subscribers of its
 * key in this process.
 */
import type { StoredEvent, Store } from '../store/types.ts';
import type { EventBus } from './types.ts';

type Listener = (event: StoredEvent) => void;

/** Fan out in-process to the listeners of each key. Shared by the local and Redis buses. */
export class KeyFanout {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(keyId: string, listener: Listener): () => void {
    let set = this.listeners.get(keyId);
    if (!set) {
      set = new Set();
      this.listeners.set(keyId, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(keyId);
    };
  }

  /** Keys that have at least one live subscriber. */
  keys(): string[] {
    return [...this.listeners.keys()];
  }

  deliver(event: StoredEvent): void {
    const set = this.listeners.get(event.key_id);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch {
        // One broken subscriber must not stop delivery to the others.
      }
    }
  }
}

export function createLocalEventBus(store: Store): EventBus {
  const fanout = new KeyFanout();
  return {
    async publish(event) {
      const stored = await store.events.append(event);
      fanout.deliver(stored);
      return stored;
    },
    subscribe: (keyId, listener) => fanout.subscribe(keyId, listener),
    async close() {},
  };
}
