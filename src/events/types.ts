/**
 * Events of generations, per API key: persisted first (for `Last-Event-ID` replay),
 * then fanned out to live subscribers. Embedded: in-process. Scale-out: Redis pub/sub.
 */
import type { NewEvent, StoredEvent } from '../store/types.ts';

export type EventType =
  | 'media_generation_started'
  | 'media_generation_progress'
  | 'media_generation_completed'
  | 'media_generation_cancelled';

export interface EventBus {
  /** Persist, then deliver to subscribers of the event's key. */
  publish(event: NewEvent & { type: EventType }): Promise<StoredEvent>;
  /** Live events of one key; returns the unsubscribe function. */
  subscribe(keyId: string, listener: (event: StoredEvent) => void): () => void;
  close(): Promise<void>;
}
