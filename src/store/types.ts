/**
 * The store's public surface: typed rows and the operations the rest of retake needs.
 * One implementation (`kysely-store.ts`) serves both SQLite (embedded default) and
 * PostgreSQL (scale-out); `store.contract.ts` runs unchanged against both.
 *
 * Times are epoch milliseconds (numbers) everywhere in the store; the API formats them.
 */
import type { VideoRequest } from '../models/request.ts';

/** An engine's report of what it understood, stored as JSON (the engine seam types it). */
export type StoredInterpretation = object;

export type GenerationStatus = 'queued' | 'processing' | 'succeeded' | 'failed' | 'cancelled';
export const TERMINAL_STATUSES: readonly GenerationStatus[] = ['succeeded', 'failed', 'cancelled'];

export interface ApiKeyRow {
  id: string;
  name: string;
  /** sha256 hex of the secret; the secret itself is never stored. */
  hash: string;
  /** First characters of the secret, for `keys list` (e.g. `rtk_ab12`). */
  prefix: string;
  hdr_access: boolean;
  /** Total spend allowed in USD, or null for no limit. */
  budget_usd: number | null;
  created_at: number;
  revoked_at: number | null;
}

/** One stored output file of a generation. */
export interface OutputFile {
  kind: 'video' | 'exr' | 'image';
  /** Blob key in the blob store (`outputs/<id>/video.mp4`). */
  blob: string;
  content_type: string;
  bytes: number;
}

export interface GenerationRow {
  id: string;
  key_id: string;
  model: string;
  status: GenerationStatus;
  prompt: string;
  /** The validated request with defaults applied. */
  request: VideoRequest;
  cost: number;
  progress: number;
  stage: string | null;
  eta_s: number | null;
  outputs: OutputFile[];
  /**
   * What the engine understood of the prompt (style, palette, used/ignored words ...),
   * kept as the engine reported it: its shape is the engine's, not the store's.
   */
  interpretation: StoredInterpretation | null;
  warnings: string[];
  error_code: string | null;
  error_message: string | null;
  webhook_url: string | null;
  /** Attempts started so far (a transient failure re-queues; a crash re-queues). */
  attempts: number;
  enqueued_at: number;
  started_at: number | null;
  completed_at: number | null;
  /**
   * An engine's checkpoint for this generation (hosted engines: the provider's request
   * id), written before anything else happens so a restarted worker resumes instead of
   * paying twice. Internal: never part of an API answer.
   */
  engine_state: Record<string, unknown> | null;
  /** How the webhook is shaped when the request came through another protocol; null: retake's own. */
  webhook_options: WebhookOptions | null;
}

/**
 * A webhook asked for through another protocol: `replicate` sends the prediction,
 * signed as Standard Webhooks, for the listed events; `fal` sends fal's
 * `{request_id, status, payload}` once the request completes.
 */
export interface WebhookOptions {
  format: 'replicate' | 'fal';
  /** Replicate's `webhook_events_filter` (start, output, logs, completed); all when absent. */
  events?: string[];
}

export type NewGeneration = Pick<
  GenerationRow,
  'id' | 'key_id' | 'model' | 'prompt' | 'request' | 'cost' | 'webhook_url' | 'enqueued_at'
> & Partial<Pick<GenerationRow, 'webhook_options'>>;

export type GenerationPatch = Partial<
  Pick<
    GenerationRow,
    | 'status' | 'progress' | 'stage' | 'eta_s' | 'outputs' | 'interpretation' | 'warnings'
    | 'error_code' | 'error_message' | 'attempts' | 'started_at' | 'completed_at' | 'engine_state'
  >
>;

export interface GenerationFilter {
  key_id: string;
  status?: GenerationStatus | undefined;
  model?: string | undefined;
  /** Newest first. */
  limit: number;
  offset: number;
  /**
   * Keyset paging, stable while generations are added: only rows after (older than)
   * `before`, or only rows before (newer than) `after`, in the same newest-first order.
   */
  before?: GenerationPosition | undefined;
  after?: GenerationPosition | undefined;
}

/** Where a generation stands in the newest-first order of a key's list. */
export interface GenerationPosition {
  enqueued_at: number;
  id: string;
}

export interface StoredEvent {
  /** Monotonic id across all events (used as the SSE `id:`). */
  id: number;
  key_id: string;
  generation_id: string;
  type: string;
  data: Record<string, unknown>;
  created_at: number;
}

export type NewEvent = Omit<StoredEvent, 'id' | 'created_at'>;

export interface IdempotencyRow {
  key_id: string;
  idem_key: string;
  /** sha256 of method + path + body, to detect a key reused with another request. */
  request_hash: string;
  /** null while the first request is still running. */
  status_code: number | null;
  response: unknown;
  created_at: number;
  /** Process holding a pending claim; null for claims made before claims had owners. */
  owner: string | null;
  /** When a pending claim lapses unless its owner renews it (epoch ms); null: never. */
  expires_at: number | null;
  /** What the request recorded it creates (e.g. `{generation_ids: [...]}`), or null. */
  resource: unknown;
}

/** One webhook delivery waiting in the outbox. */
export interface OutboxDelivery {
  id: string;
  url: string;
  event: string;
  /** The exact JSON body that is signed and sent. */
  body: string;
  attempts: number;
  next_try_at: number;
}

/** A lease on a queued job, held by one worker until it completes or the lease expires. */
export interface JobLease {
  generation_id: string;
  worker_id: string;
  lease_until: number;
  /** How many times this job was claimed (1 on the first run). */
  claims: number;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';

  keys: {
    insert(row: ApiKeyRow): Promise<void>;
    findByHash(hash: string): Promise<ApiKeyRow | undefined>;
    /** By id or by name. */
    find(idOrName: string): Promise<ApiKeyRow | undefined>;
    list(): Promise<ApiKeyRow[]>;
    /** Marks revoked; returns false when no such active key. */
    revoke(idOrName: string, at: number): Promise<boolean>;
  };

  generations: {
    insert(row: NewGeneration): Promise<GenerationRow>;
    get(id: string): Promise<GenerationRow | undefined>;
    list(filter: GenerationFilter): Promise<{ rows: GenerationRow[]; total: number }>;
    /**
     * How many of the key's queued generations were enqueued before this time: a queue
     * position that tells a key nothing about other keys' traffic.
     */
    queuedBefore(keyId: string, enqueuedAt: number): Promise<number>;
    /** Sum of `cost` over the key's generations that are not cancelled-before-start. */
    totalCost(keyId: string): Promise<number>;
    /**
     * Generations not yet terminal (queued or processing) across all keys, oldest first:
     * what a lost job queue is rebuilt from, since the store is the source of truth.
     */
    unfinished(limit: number): Promise<{ id: string; status: GenerationStatus; enqueued_at: number }[]>;
    /** How many generations are queued and how many processing (queue depth, for metrics). */
    countUnfinished(): Promise<{ queued: number; processing: number }>;
    update(id: string, patch: GenerationPatch): Promise<GenerationRow | undefined>;
    /**
     * Apply `patch` only when the row's status is one of `from` (compare-and-set);
     * returns the new row, or undefined when the status had moved on. A patch that ends
     * the generation also queues its webhook (when it has a `webhook_url`) in the same
     * transaction: the outbox delivery `<id>.completed`, with an empty body that the
     * sender renders from the finished row.
     */
    transition(id: string, from: readonly GenerationStatus[], patch: GenerationPatch): Promise<GenerationRow | undefined>;
  };

  events: {
    append(event: NewEvent): Promise<StoredEvent>;
    /** Events of a key with id > afterId, oldest first (optionally one generation). */
    listAfter(keyId: string, afterId: number, generationId?: string, limit?: number): Promise<StoredEvent[]>;
    /** All events of the key's generations `generationIds`, oldest first, in one query (a page of a list). */
    ofGenerations(keyId: string, generationIds: readonly string[]): Promise<StoredEvent[]>;
    /** The highest event id so far (0 when there is none): where a catch-up after a lost connection starts. */
    latestId(): Promise<number>;
  };

  idempotency: {
    /** Insert a pending row unless one exists; returns the existing row if there was one. */
    claim(row: Pick<IdempotencyRow, 'key_id' | 'idem_key' | 'request_hash' | 'created_at'> & Partial<Pick<IdempotencyRow, 'owner' | 'expires_at'>>): Promise<IdempotencyRow | undefined>;
    /**
     * Take over a pending claim whose lease lapsed: succeeds (true) only when the row is
     * still pending with the owner and expiry that were read (compare-and-set).
     */
    takeOver(keyId: string, idemKey: string, seen: { owner: string | null; expires_at: number | null }, owner: string, expiresAt: number): Promise<boolean>;
    /** Extend `owner`'s pending claim to `expiresAt`. */
    renew(keyId: string, idemKey: string, owner: string, expiresAt: number): Promise<void>;
    /** Record on the pending claim what the request is about to create. */
    attach(keyId: string, idemKey: string, resource: unknown): Promise<void>;
    complete(keyId: string, idemKey: string, statusCode: number, response: unknown): Promise<void>;
    /** Drop a pending row (the first request failed before producing an answer). */
    release(keyId: string, idemKey: string): Promise<void>;
  };

  /** Webhook deliveries waiting to be sent (at least once, by any worker). */
  outbox: {
    /** Add a delivery due at `next_try_at`; a second add of the same id is ignored. */
    add(delivery: Pick<OutboxDelivery, 'id' | 'url' | 'event' | 'body' | 'next_try_at'>): Promise<void>;
    /** Lease up to `limit` due, undelivered deliveries to `owner` until `now + leaseMs`. */
    claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxDelivery[]>;
    /** Mark delivered (it is never sent again). */
    delivered(id: string, at: number): Promise<void>;
    /** Record a failed attempt: try again at `nextTryAt`, or never (`null`: given up). */
    failed(id: string, error: string, nextTryAt: number | null): Promise<void>;
    /** Deliveries not yet delivered nor given up. */
    pending(): Promise<number>;
    /** Delete deliveries delivered, or given up and created, before `before`; answers how many. */
    prune(before: number): Promise<number>;
  };

  /** The embedded job queue: a table with leases and heartbeats. */
  jobs: {
    enqueue(generationId: string, runAt: number): Promise<void>;
    /** Take the oldest runnable job (run_at <= now, lease free or expired); null if none. */
    claim(workerId: string, now: number, leaseMs: number): Promise<JobLease | null>;
    /** Extend a lease; false when the lease was lost (expired and taken, or removed). */
    heartbeat(generationId: string, workerId: string, now: number, leaseMs: number): Promise<boolean>;
    /** Put a claimed job back to run at `runAt` (transient failure). */
    release(generationId: string, workerId: string, runAt: number): Promise<void>;
    /** Remove a job (finished or cancelled). */
    remove(generationId: string): Promise<void>;
    /** Number of jobs waiting or leased. */
    count(): Promise<number>;
  };

  close(): Promise<void>;
}
