/**
 * Follow a key's events (optionally one generation's) from the bus, with an optional
 * replay of what the store holds first. It subscribes before reading the replay and
 * drops ids it has already handed over, so an event published during the replay is
 * seen exactly once; live events that arrive during the replay wait and follow it in
 * id order. Events are handed to `onEvent` one at a time, so a slow reader holds the
 * replay back instead of the heap: a handler that returns a promise (a stream waiting
 * for its socket to drain) is awaited before the next event, and events that come
 * meanwhile queue in order. A handler that returns nothing is called synchronously
 * from the bus's delivery, with no promise per event and subscriber, which is what
 * keeps a fan-out to thousands of streams cheap.
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
  let failed = false;
  let stopped = false;
  /** A handler's promise is running; events wait in `queue`. */
  let waiting = false;
  const queue: StoredEvent[] = [];
  const idleWaiters: (() => void)[] = [];
  const settle = (): void => {
    if (failed || (!waiting && queue.length === 0)) for (const done of idleWaiters.splice(0)) done();
  };
  /** Resolves once every handed event has been handled (or following failed). */
  const idle = (): Promise<void> => new Promise((done) => {
    idleWaiters.push(done);
    settle();
  });
  const fail = (err: unknown): void => {
    if (failed) return;
    failed = true;
    stop();
    settle();
    options.onError(err);
  };
  const run = (e: StoredEvent): void => {
    // `stopped`, not `signal.aborted`: this runs once per follower and event.
    if (stopped || failed) return;
    let result: void | Promise<void>;
    try {
      result = options.onEvent(e);
    } catch (err) {
      fail(err);
      return;
    }
    if (result) {
      waiting = true;
      result.then(next, fail);
    }
  };
  const next = (): void => {
    waiting = false;
    while (!waiting && queue.length > 0) run(queue.shift()!);
    settle();
  };
  const hand = (e: StoredEvent): void => {
    if (generationId !== undefined && e.generation_id !== generationId) return;
    if (e.id <= floor || (handed.size > 0 && handed.has(e.id))) return;
    // Only replayed ids are remembered: live events are handed as they come, so events
    // published concurrently by several workers are never lost to an ordering check.
    if (pending) handed.add(e.id);
    if (waiting) queue.push(e);
    else run(e);
  };

  let pending: StoredEvent[] | undefined = options.replayAfter === undefined ? undefined : [];
  const unsubscribe = deps.bus.subscribe(options.keyId, (e) => {
    if (pending) pending.push(e);
    else hand(e);
  });
  const stop = (): void => {
    stopped = true;
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
      await idle();
      cursor = page.at(-1)?.id ?? cursor;
      if (page.length < REPLAY_PAGE || signal.aborted || failed) break;
    }
    const live = (pending ?? []).sort((a, b) => a.id - b.id);
    for (const e of live) hand(e);
    pending = undefined;
  };
  replay().catch(fail);
}
