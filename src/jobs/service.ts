/**
 * The generation service: everything the API asks of jobs. Submitting validates the
 * whole request and checks entitlements before a row is written, so a bad request
 * never costs anything; the price is charged once, when the row is created, and a
 * re-run after a crash or a transient failure never charges again.
 */
import { randomUUID } from 'node:crypto';
import { RetakeError } from '../errors/index.ts';
import { engineFor, type EngineSet } from '../engines/index.ts';
import type { EventBus } from '../events/types.ts';
import { findModel, parseVideoRequest, priceOf, type VideoRequest } from '../models/index.ts';
import type { BlobStore } from '../blobs/types.ts';
import type { ApiKeyRow, GenerationRow, Store } from '../store/types.ts';
import { TERMINAL_STATUSES } from '../store/types.ts';
import type { Estimate } from './estimate.ts';
import { checkInputUrls, checkWebhookUrl } from './input-check.ts';
import type { InputOptions } from './inputs.ts';
import { checkKeyframeRange } from './keyframe-range.ts';
import type { GenerationService, JobQueue, SubmitInput } from './types.ts';

export interface ServiceDeps {
  store: Store;
  events: EventBus;
  queue: JobQueue;
  engines: EngineSet;
  blobs: BlobStore;
  publicUrl: string;
  allowPrivateUrls: boolean;
  /** How inputs are fetched (as the runner does): keyframes are checked against the source's length. Without it, they are not. */
  inputs?: InputOptions | undefined;
  /** Called once a generation reaches a terminal status here (a cancel): webhooks. */
  onTerminal?(row: GenerationRow): void;
  now?: () => number;
}

const MAX_GENERATIONS = 4;

export function createGenerationService(deps: ServiceDeps): GenerationService {
  const { store, events, queue } = deps;
  const now = deps.now ?? Date.now;

  /**
   * Everything short of running: validate, check entitlements and price. An estimate
   * still prices a model whose engine is not configured, and says so in a warning.
   */
  async function prepare(input: SubmitInput, purpose: 'estimate' | 'submit'): Promise<Estimate & { request: VideoRequest }> {
    const model = findModel(input.model);
    const count = input.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > MAX_GENERATIONS) {
      throw new RetakeError('validation_error', `num_generations must be an integer from 1 to ${MAX_GENERATIONS}`, {
        fields: [{ field: 'num_generations', message: `num_generations must be an integer from 1 to ${MAX_GENERATIONS}` }],
      });
    }
    const request = parseVideoRequest(input.body, model.omit);
    if (input.webhookUrl !== undefined) checkWebhookUrl(input.webhookUrl, deps.allowPrivateUrls);
    await checkInputUrls(request, {
      blobs: deps.blobs, publicUrl: deps.publicUrl, allowPrivate: deps.allowPrivateUrls,
    });
    if ((request.hdr || request.exr_export) && !input.key.hdr_access) {
      throw new RetakeError('hdr_access_required', 'hdr and exr_export need a key with HDR access');
    }
    const warnings: string[] = [];
    const engine = engineFor(deps.engines, model);
    engine.assertRequest?.(request);
    try {
      engine.assertAvailable?.();
    } catch (err) {
      if (purpose === 'submit') throw err;
      warnings.push(err instanceof Error ? err.message : String(err));
    }
    // Last of the checks: it may fetch the source.
    if (deps.inputs) await checkKeyframeRange(request, { blobs: deps.blobs, inputs: deps.inputs });
    const unit = priceOf(model.pricing, request);
    const total = Math.round(unit * count * 100) / 100;
    const budget = input.key.budget_usd;
    if (budget !== null && total > 0) {
      const spent = await store.generations.totalCost(input.key.id);
      if (spent + total > budget + 1e-9) {
        throw new RetakeError('budget_exceeded', `This request costs $${total.toFixed(2)}; the key has $${Math.max(0, budget - spent).toFixed(2)} of its $${budget.toFixed(2)} budget left`);
      }
    }
    const interpretation = purpose === 'estimate' && engine.interpret ? await engine.interpret(request) : undefined;
    return {
      model: model.id, request, num_generations: count, unit_cost: unit, total_cost: total, currency: 'USD', warnings,
      ...(interpretation ? { interpretation } : {}),
    };
  }

  async function getOwn(key: ApiKeyRow, id: string): Promise<GenerationRow> {
    const row = await store.generations.get(id);
    if (!row || row.key_id !== key.id) throw new RetakeError('generation_not_found', `Generation not found: ${id}`);
    return row;
  }

  return {
    estimate: (input) => prepare(input, 'estimate'),

    async submit(input) {
      const plan = await prepare(input, 'submit');
      // A queue that cannot take the job answers 503 before anything is stored or charged.
      await queue.ping?.();
      const rows: GenerationRow[] = [];
      for (let i = 0; i < plan.num_generations; i++) {
        rows.push(
          await store.generations.insert({
            id: input.ids?.[i] ?? randomUUID(),
            key_id: input.key.id,
            model: plan.model,
            prompt: plan.request.prompt,
            request: plan.request,
            cost: plan.unit_cost,
            webhook_url: input.webhookUrl ?? null,
            webhook_options: input.webhookUrl !== undefined ? input.webhookOptions ?? null : null,
            enqueued_at: now(),
          }),
        );
      }
      try {
        for (const row of rows) await queue.enqueue(row.id);
      } catch (err) {
        // The rows are stored and charged: a queue that rebuilds from the store runs them
        // once it is back, so the client must not retry (and pay) again.
        if (!queue.rebuildsFromStore) throw err;
      }
      return rows;
    },

    get: getOwn,
    list: (filter) => store.generations.list(filter),
    totalCost: (keyId) => store.generations.totalCost(keyId),

    async cancel(key, id) {
      const row = await getOwn(key, id);
      const cancelled = await store.generations.transition(id, ['queued', 'processing'], {
        status: 'cancelled', stage: 'cancelled', completed_at: now(),
      });
      if (!cancelled) {
        throw new RetakeError('not_cancellable', `Generation ${id} is already ${(await store.generations.get(id))?.status ?? row.status}`);
      }
      await queue.remove(id);
      queue.abort(id);
      await events.publish({
        key_id: key.id, generation_id: id, type: 'media_generation_cancelled',
        data: { generation_id: id, status: 'cancelled', media_type: 'video', model: row.model },
      });
      deps.onTerminal?.(cancelled);
      return cancelled;
    },

    async waitForTerminal(id, timeoutMs) {
      const first = await store.generations.get(id);
      if (!first) throw new RetakeError('generation_not_found', `Generation not found: ${id}`);
      if (TERMINAL_STATUSES.includes(first.status)) return first;
      return new Promise<GenerationRow>((resolve, reject) => {
        let settled = false;
        const check = async () => {
          const row = await store.generations.get(id);
          if (!settled && row && TERMINAL_STATUSES.includes(row.status)) {
            settled = true;
            cleanup();
            resolve(row);
          }
        };
        const onEvent = (e: { generation_id: string; type: string }) => {
          if (e.generation_id === id && (e.type === 'media_generation_completed' || e.type === 'media_generation_cancelled')) void check().catch(() => undefined);
        };
        const unsubscribe = events.subscribe(first.key_id, onEvent);
        // Events from another process may arrive late or not at all (a dead worker); poll as a fallback.
        const poll = setInterval(() => void check().catch(() => undefined), 1000);
        const timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          cleanup();
          reject(new RetakeError('generation_timeout', `Generation ${id} is still running after ${timeoutMs} ms; follow it at GET /api/ai/queue/${id}`));
        }, timeoutMs);
        function cleanup() {
          unsubscribe();
          clearInterval(poll);
          clearTimeout(timer);
        }
        void check().catch(() => undefined);
      });
    },
  };
}
