/**
 * The tables as the database holds them (Kysely's view). The store's public types in
 * `types.ts` differ where SQL has no native type: JSON is text, booleans are 0/1
 * integers, so both dialects share one shape and `codec.ts` converts at the edge.
 */
import type { Generated } from 'kysely';

export interface ApiKeysTable {
  id: string;
  name: string;
  hash: string;
  prefix: string;
  hdr_access: number;
  budget_usd: number | null;
  created_at: number;
  revoked_at: number | null;
}

export interface GenerationsTable {
  id: string;
  key_id: string;
  model: string;
  status: Generated<string>;
  prompt: string;
  /** JSON text. */
  request: string;
  cost: number;
  progress: Generated<number>;
  stage: string | null;
  eta_s: number | null;
  /** JSON text (array). */
  outputs: Generated<string>;
  /** JSON text or null. */
  interpretation: string | null;
  /** JSON text (array). */
  warnings: Generated<string>;
  error_code: string | null;
  error_message: string | null;
  webhook_url: string | null;
  attempts: Generated<number>;
  enqueued_at: number;
  started_at: number | null;
  completed_at: number | null;
  /** JSON text or null: an engine's checkpoint (hosted engines: the provider's request id). */
  engine_state: Generated<string | null>;
  /** JSON text or null: the shape of a webhook asked for through another protocol. */
  webhook_options: Generated<string | null>;
}

export interface EventsTable {
  id: Generated<number>;
  key_id: string;
  generation_id: string;
  type: string;
  /** JSON text. */
  data: string;
  created_at: number;
}

export interface IdempotencyTable {
  key_id: string;
  idem_key: string;
  request_hash: string;
  status_code: number | null;
  /** JSON text, null while pending. */
  response: string | null;
  created_at: number;
  /** The process holding a pending claim, and until when (it renews while running). */
  owner: Generated<string | null>;
  expires_at: Generated<number | null>;
  /** JSON text: what the request created (generation ids), recorded before creating it. */
  resource: Generated<string | null>;
}

export interface WebhookOutboxTable {
  id: string;
  url: string;
  event: string;
  body: string;
  attempts: Generated<number>;
  next_try_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  delivered_at: number | null;
  last_error: string | null;
  created_at: number;
}

export interface JobsTable {
  generation_id: string;
  run_at: number;
  worker_id: string | null;
  lease_until: number | null;
  claims: Generated<number>;
}

export interface Database {
  api_keys: ApiKeysTable;
  generations: GenerationsTable;
  events: EventsTable;
  idempotency: IdempotencyTable;
  webhook_outbox: WebhookOutboxTable;
  jobs: JobsTable;
}
