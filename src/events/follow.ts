/**
 * Follow a key's events (optionally one generation's) from the bus, with an optional
 * replay of what the store holds first. It subscribes before reading the replay and
 * drops ids it has already handed over, so an event published during the replay is
 * seen exactly once; live events that arrive during the replay wait and follow it in
 * id order. Events are handed to `onEvent` one at a time (an async handler is awaited
 * before the next), so a slow reader holds the replay back instead of the heap.
 * Following stops when `signal` aborts, or when `onEvent` throws (then `onError`).
 */
import type { StoredEvent, Store } from '../store/types.ts';
import type { EventBus } from './types.ts';

export interface FollowOptions {
  keyId: string;
  generationId?: string;
  /** Replay the stored events with ids above this one first (0: the whole history). */
  replayAfter?: number;
  signal: AbortSignal;
  onEvent(event: StoredEvent): void | Promise<void>;
  onError(err: unknown): void;
}

const REPLAY_PAGE = 500;

export function followEvents(deps: { bus: EventBus; store: Pick<Store, 'events'> }, options: FollowOptions): void {
  const { signal, generationId } = options;
  if (signal.aborted) return;
  const handed = new Set<number>();
  const floor = options.replayAfter ?? 0;
  let chain: Promise<void> = Promise.resolve();
  let failed = false;
  const fail = (err: unknown): void => {
    if (failed) return;
    failed = true;
    stop();
    options.onError(err);
  };
  const hand = (e: StoredEvent): void => {
    if (generationId !== undefined && e.generation_id !== generationId) return;
    if (e.id <= floor || handed.has(e.id)) return;
    // Only replayed ids are remembered: live events are handed as they come, so events
    // published concurrently by several workers are never lost to an ordering check.
    if (pending) handed.add(e.id);
    chain = chain.then(async () => {
      if (!signal.aborted && !failed) await options.onEvent(e);
    }).catch(fail);
  };

  let pending: StoredEvent[] | undefined = options.replayAfter === undefined ? undefined : [];
  const unsubscribe = deps.bus.subscribe(options.keyId, (e) => {
    if (pending) pending.push(e);
    else hand(e);
  });
  const stop = (): void => {
    unsubscribe();
    signal.removeEventListener('abort', stop);
  };
  signal.addEventListener('abort', stop, { once: true });
  if (!pending) return;

  const replay = async (): Promise<void> => {
    let cursor = floor;
    for (;;) {
      const page = await deps.store.events.listAfter(options.keyId, cursor, generationId, REPLAY_PAGE);
      for (const e of page) hand(e);
      await chain;
      cursor = page.at(-1)?.id ?? cursor;
      if (page.length < REPLAY_PAGE || signal.aborted || failed) break;
    }
    const live = (pending ?? []).sort((a, b) => a.id - b.id);
    for (const e of live) hand(e);
    pending = undefined;
  };
  replay().catch(fail);
}
