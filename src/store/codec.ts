/**
 * Conversions between database rows and the store's typed rows. PostgreSQL hands back
 * bigint and numeric as strings unless told otherwise, so every number goes through
 * `num()` even though the pool also installs number parsers.
 */
import type { Selectable, Updateable } from 'kysely';
import type { ApiKeysTable, EventsTable, GenerationsTable, IdempotencyTable } from './schema.ts';
import type {
  ApiKeyRow, GenerationPatch, GenerationRow, GenerationStatus, IdempotencyRow, StoredEvent,
} from './types.ts';

export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

function parseJson<T>(text: string | null, fallback: T): T {
  return text === null || text === '' ? fallback : (JSON.parse(text) as T);
}

export function decodeKey(row: Selectable<ApiKeysTable>): ApiKeyRow {
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    prefix: row.prefix,
    hdr_access: num(row.hdr_access) !== 0,
    budget_usd: numOrNull(row.budget_usd),
    created_at: num(row.created_at),
    revoked_at: numOrNull(row.revoked_at),
  };
}

export function encodeKey(row: ApiKeyRow): ApiKeysTable {
  return { ...row, hdr_access: row.hdr_access ? 1 : 0 };
}

export function decodeGeneration(row: Selectable<GenerationsTable>): GenerationRow {
  return {
    id: row.id,
    key_id: row.key_id,
    model: row.model,
    status: row.status as GenerationStatus,
    prompt: row.prompt,
    request: parseJson(row.request, {} as GenerationRow['request']),
    cost: num(row.cost),
    progress: num(row.progress),
    stage: row.stage,
    eta_s: numOrNull(row.eta_s),
    outputs: parseJson(row.outputs, []),
    interpretation: parseJson(row.interpretation, null),
    warnings: parseJson(row.warnings, []),
    error_code: row.error_code,
    error_message: row.error_message,
    webhook_url: row.webhook_url,
    attempts: num(row.attempts),
    enqueued_at: num(row.enqueued_at),
    started_at: numOrNull(row.started_at),
    completed_at: numOrNull(row.completed_at),
    engine_state: parseJson(row.engine_state, null),
    webhook_options: parseJson(row.webhook_options, null),
  };
}

/** Only the fields present in the patch are written; JSON fields become text. */
export function encodePatch(patch: GenerationPatch): Updateable<GenerationsTable> {
  const out: Updateable<GenerationsTable> = {};
  for (const [field, value] of Object.entries(patch) as [keyof GenerationPatch, unknown][]) {
    if (value === undefined) continue;
    switch (field) {
      case 'outputs':
      case 'warnings':
        out[field] = JSON.stringify(value);
        break;
      case 'interpretation':
        out.interpretation = value === null ? null : JSON.stringify(value);
        break;
      case 'engine_state':
        out.engine_state = value === null ? null : JSON.stringify(value);
        break;
      case 'status':
      case 'progress':
      case 'stage':
      case 'eta_s':
      case 'error_code':
      case 'error_message':
      case 'attempts':
      case 'started_at':
      case 'completed_at':
        (out as Record<string, unknown>)[field] = value;
        break;
    }
  }
  return out;
}

export function decodeEvent(row: Selectable<EventsTable>): StoredEvent {
  return {
    id: num(row.id),
    key_id: row.key_id,
    generation_id: row.generation_id,
    type: row.type,
    data: parseJson(row.data, {}),
    created_at: num(row.created_at),
  };
}

export function decodeIdempotency(row: Selectable<IdempotencyTable>): IdempotencyRow {
  return {
    key_id: row.key_id,
    idem_key: row.idem_key,
    request_hash: row.request_hash,
    status_code: numOrNull(row.status_code),
    response: parseJson<unknown>(row.response, null),
    created_at: num(row.created_at),
    owner: row.owner ?? null,
    expires_at: numOrNull(row.expires_at),
    resource: parseJson<unknown>(row.resource ?? null, null),
  };
}
