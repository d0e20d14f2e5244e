/**
 * Submitting generations under an Idempotency-Key so that a crash never doubles them.
 * The generation ids are chosen first and recorded on the key's claim before anything
 * is stored; a retry that takes over the claim of a crashed request finds those ids and
 * answers with the generations they name, creating only any the crash prevented.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { SubmitInput } from '../jobs/types.ts';
import type { Retake } from '../retake.ts';
import type { GenerationRow } from '../store/types.ts';
import { attachResource } from './idempotency.ts';

function recordedIds(resume: unknown): string[] | undefined {
  const ids = (resume as { generation_ids?: unknown } | undefined)?.generation_ids;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') && ids.length > 0 ? ids : undefined;
}

/** Submit `input` once per Idempotency-Key, even across a crash of the first request. */
export async function submitOnce(retake: Retake, request: FastifyRequest, input: SubmitInput): Promise<GenerationRow[]> {
  const recorded = recordedIds(request.idempotencyResume);
  const ids = recorded ?? Array.from({ length: input.count ?? 1 }, () => randomUUID());
  if (!recorded) await attachResource(retake.store, request, { generation_ids: ids });
  const existing = recorded ? await Promise.all(ids.map((id) => retake.store.generations.get(id))) : ids.map(() => undefined);
  const missing = ids.filter((_, i) => !existing[i]);
  const created = missing.length > 0 ? await retake.generations.submit({ ...input, count: missing.length, ids: missing }) : [];
  return ids.map((id, i) => existing[i] ?? created.find((row) => row.id === id)!);
}
