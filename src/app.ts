/**
 * Assembles retake from the configuration: the store (SQLite, or PostgreSQL when
 * RETAKE_DATABASE_URL is set), blobs on local disk, the event bus, the job queue, the
 * engines, and — for the `all` and `worker` roles — a worker consuming the queue; and
 * its HTTP server: the shared layer with the hub API, each protocol and the Workbench
 * registered on it as plugins.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { hubApi } from './api/index.ts';
import type { Config } from './config.ts';
import type { EngineSet } from './engines/index.ts';
import { createHostedEngine } from './engines/hosted/index.ts';
import { createLocalEngine } from './engines/local/index.ts';
import { pixelStageProblem } from './engines/local/pixel-stage/index.ts';
import { setUpOperatorModels } from './engines/comfyui/setup.ts';
import { createLocalEventBus } from './events/index.ts';
import { createEmbeddedQueue } from './jobs/embedded-queue.ts';
import { createJobRunner, engineIdOf } from './jobs/runner.ts';
import { createProtocolWebhooks, observePublish } from './jobs/protocol-webhooks.ts';
import { createGenerationService } from './jobs/service.ts';
import { createWebhookOutbox } from './jobs/webhook-outbox.ts';
import { createWebhookSender } from './jobs/webhooks.ts';
import { createKeyService } from './keys/index.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics/index.ts';
import { createHttpServer } from './http/server.ts';
import { falProtocol, falWebhookFormatter } from './protocols/fal/index.ts';
import { replicateProtocol, replicateWebhookFormatter } from './protocols/replicate/index.ts';
import { registerWorkbench } from './workbench/serve.ts';
import type { Retake, Role } from './retake.ts';
import { createLocalBlobStore, type BlobStore } from './blobs/index.ts';
import { sweepStaleParts } from './blobs/sweep-parts.ts';
import { openStore, type GenerationRow } from './store/index.ts';

export interface CreateOptions {
  /** `all` (default): API and worker in one process; `api`; `worker`. */
  role?: Role;
  /** Replace engines (tests of hosted engines use stand-ins). */
  engines?: Partial<EngineSet>;
  logger?: Logger;
  /** How often an idle worker polls the queue, default 250 ms. */
  pollMs?: number;
}

export async function createRetake(config: Config, options: CreateOptions = {}): Promise<Retake> {
  const role = options.role ?? 'all';
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  await mkdir(config.dataDir, { recursive: true });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const blobs = await openBlobs(config);
  // Scale-out (RETAKE_REDIS_URL): events fan out to every API node, jobs go through BullMQ.
  const onRedisError = (err: Error): void => logger.warn({ err }, 'redis error');
  const bus = config.redisUrl
    ? await (await import('./events/redis-bus.ts')).createRedisEventBus(store, config.redisUrl, { onError: onRedisError })
    : createLocalEventBus(store);
  const keys = createKeyService(store, { failuresPerMinute: config.authFailuresPerMinute });
  // Guided mode still works without its compiled stage, only several times slower: say so once.
  const slowGuided = pixelStageProblem();
  if (slowGuided) logger.warn(`guided mode will run on its slower reference path: the compiled pixel stage is not in use (${slowGuided})`);
  const engines: EngineSet = {
    local: options.engines?.local ?? createLocalEngine(),
    hosted: options.engines?.hosted ?? createHostedEngine(config),
    byModel: options.engines?.byModel
      ?? (config.modelsFile ? await setUpOperatorModels(config.modelsFile, { logger, pollMs: config.comfyPollMs }) : undefined),
  };
  const queue = config.redisUrl
    ? (await import('./jobs/bullmq-queue.ts')).createBullmqQueue({
      redisUrl: config.redisUrl, lockMs: config.leaseMs, onError: onRedisError,
      unfinished: () => store.generations.unfinished(1000),
    })
    : createEmbeddedQueue(store, { leaseMs: config.leaseMs, pollMs: options.pollMs });
  const blobUrl = (key: string) => `${config.publicUrl}/files/${key}`;

  const serverSecret = config.webhookSecret ?? (await persistentSecret(join(config.dataDir, 'webhook-secret')));
  const webhooks = createWebhookSender({ secret: serverSecret, allowPrivate: config.allowPrivateUrls, logger });
  const outbox = createWebhookOutbox({
    store, logger,
    // Signed with the key's secret (another protocol's webhook that protocol's way); a
    // final report is rendered from the finished row. Nothing to send counts as done.
    attempt: async (delivery, id) => {
      const prepared = await protocolWebhooks.prepare(delivery, id);
      return prepared ? webhooks.attempt(prepared, id) : 'ok';
    },
    baseDelayMs: config.webhookBackoffMs, pollMs: Math.min(500, config.webhookBackoffMs),
  });
  // Webhooks asked for through another protocol follow the events where they are published.
  const protocolWebhooks = createProtocolWebhooks({
    store, serverSecret, blobUrl,
    formatters: {
      replicate: replicateWebhookFormatter({ store, publicUrl: config.publicUrl, blobUrl, streamSecret: serverSecret }),
      fal: falWebhookFormatter(blobUrl),
    },
    enqueue: (delivery, id) => outbox.enqueue(delivery, id),
    onError: (err) => logger.warn({ err }, 'protocol webhook not queued'),
  });
  const metrics = createMetrics({ role, queueDepth: () => store.generations.countUnfinished() });
  const events = observePublish(bus, (event) => protocolWebhooks.onEvent(event));
  const onTerminal = (row: GenerationRow): void => {
    if (row.status === 'succeeded' || row.status === 'failed' || row.status === 'cancelled') {
      metrics.finished(engineIdOf(engines, row.model), row.status);
    }
    // The webhook is in the outbox already: the final status and its delivery are one commit.
  };

  const inputs = {
    publicUrl: config.publicUrl,
    allowPrivate: config.allowPrivateUrls,
    maxBytes: config.maxInputBytes,
    timeoutMs: config.fetchTimeoutMs,
  };
  const generations = createGenerationService({
    store, events, queue, engines, blobs, inputs,
    publicUrl: config.publicUrl,
    allowPrivateUrls: config.allowPrivateUrls,
    onTerminal,
  });

  if (config.bootstrapKey) await keys.ensure(config.bootstrapKey, 'bootstrap', true);

  // Part files of uploads a crash cut off: untouched for longer than the stall timeout,
  // nobody is writing them any more.
  const partAge = Math.max(1000, config.bodyStallMs) + 1000;
  const sweepParts = (): void => {
    sweepStaleParts(blobs.tmpDir, partAge).catch((err: unknown) => logger.warn({ err }, 'could not sweep stale upload parts'));
  };
  sweepParts();
  const partSweeper = setInterval(sweepParts, Math.max(60_000, partAge));
  partSweeper.unref();

  if (role !== 'api') {
    const runner = createJobRunner({
      store, blobs, events, engines, logger, blobUrl, onTerminal,
      observer: metrics,
      maxAttempts: config.maxAttempts,
      inputs,
    });
    queue.start(runner, config.concurrency);
    outbox.start();
  }

  let closed = false;
  let queueStopped: Promise<void> | undefined;
  const stopQueue = (graceMs: number): Promise<void> => (queueStopped ??= queue.stop(graceMs));
  const retake: Retake = {
    config, role, logger, store, blobs, events, keys, generations, blobUrl, serverSecret, metrics,
    draining: false,
    async ready() {
      const results = await Promise.allSettled([
        within(READY_TIMEOUT_MS, 'database', () => store.generations.countUnfinished()),
        within(READY_TIMEOUT_MS, 'redis', async () => queue.ping?.()),
        within(READY_TIMEOUT_MS, 'blob storage', () => blobs.check()),
      ]);
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
      if (failed.length > 0) throw new Error(failed.join('; '));
    },
    async stopJobs(graceMs) {
      retake.draining = true;
      // An API node only produces jobs: its queue stays open for requests still in flight.
      if (role !== 'api') await stopQueue(graceMs);
    },
    async close(options = {}) {
      if (closed) return;
      closed = true;
      retake.draining = true;
      clearInterval(partSweeper);
      await stopQueue(options.graceMs ?? 0);
      await outbox.stop();
      await webhooks.close();
      await events.close();
      await store.close();
    },
  };
  return retake;
}

/**
 * Build the HTTP server over an assembled retake (not listening yet; the caller listens).
 * The instance stays open for more routes.
 */
export async function buildServer(retake: Retake): Promise<FastifyInstance> {
  const app = await createHttpServer(retake);
  await app.register(hubApi(retake));
  await app.register(replicateProtocol(retake), { prefix: '/v1' });
  await app.register(falProtocol(retake), { prefix: '/fal' });
  registerWorkbench(app);
  return app;
}

/** Longest a readiness check waits for one dependency: a probe must answer, not hang. */
const READY_TIMEOUT_MS = 2000;

/** Run `check`, failing with `what` when it throws or takes longer than `ms`. */
async function within(ms: number, what: string, check: () => Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([check().catch((err: unknown) => {
      throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Blobs in S3 when RETAKE_S3_BUCKET is set (the SDK loads only then), else under the data dir. */
async function openBlobs(config: Config): Promise<BlobStore> {
  if (!config.s3) return createLocalBlobStore(join(config.dataDir, 'blobs'));
  const { createS3BlobStore } = await import('./blobs/s3.ts');
  return createS3BlobStore({ ...config.s3, tmpDir: join(config.dataDir, 'tmp') });
}

/** A secret generated on first use and kept in a file (mode 600) so restarts keep it. */
async function persistentSecret(path: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    const secret = randomBytes(32).toString('base64url');
    await writeFile(path, secret, { mode: 0o600, flag: 'wx' }).catch(() => undefined);
    return (await readFile(path, 'utf8')).trim();
  }
}
