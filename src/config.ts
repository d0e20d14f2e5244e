/**
 * Configuration from the environment, with the defaults of the embedded mode. Every
 * variable is listed in docs/configuration.md; tests build a Config directly with `loadConfig({...})`.
 */
import { resolve } from 'node:path';

export interface Config {
  /** RETAKE_HOST, default 127.0.0.1 */
  host: string;
  /** RETAKE_PORT, default 8787 (0 picks a free port) */
  port: number;
  /** RETAKE_DATA_DIR, default ./.retake: SQLite file, blobs and work files. */
  dataDir: string;
  /** RETAKE_PUBLIC_URL, default http://HOST:PORT: base of the URLs handed to clients. */
  publicUrl: string;
  /** RETAKE_BOOTSTRAP_KEY: ensure an API key with this value (HDR access) exists. */
  bootstrapKey: string | undefined;
  /** RETAKE_ALLOW_PRIVATE_URLS=1: let input URLs point at loopback/private addresses. */
  allowPrivateUrls: boolean;
  /** RETAKE_DATABASE_URL: PostgreSQL for scale-out; SQLite under dataDir when unset. */
  databaseUrl: string | undefined;
  /** RETAKE_REDIS_URL: Redis + BullMQ for the queue; the embedded table queue when unset. */
  redisUrl: string | undefined;
  /** RETAKE_CONCURRENCY, default 1: renders one worker process runs at once. */
  concurrency: number;
  /** RETAKE_LEASE_MS, default 30000: a job's lease; a crashed worker's job is re-run after it. */
  leaseMs: number;
  /** RETAKE_MAX_ATTEMPTS, default 3: attempts for transient failures. */
  maxAttempts: number;
  /** RETAKE_MAX_UPLOAD_BYTES, default 2 GiB. */
  maxUploadBytes: number;
  /** RETAKE_BODY_STALL_MS, default 30000: a request body (an upload) that sends nothing for this long is cut off. */
  bodyStallMs: number;
  /** RETAKE_MAX_UPLOADS_PER_KEY, default 8: uploads one key may stream at once (429 past it). */
  maxUploadsPerKey: number;
  /** RETAKE_RATE_LIMIT_SUBMIT, default 1200: POSTs and DELETEs per key per minute (0: no limit). */
  rateLimitSubmit: number;
  /** RETAKE_RATE_LIMIT_READ, default 60000: GETs (status lookups) per key per minute (0: no limit). */
  rateLimitRead: number;
  /** RETAKE_AUTH_FAILURES_PER_MINUTE, default 30: wrong keys one client address may send a minute before it is answered 429 (0: no limit). */
  authFailuresPerMinute: number;
  /** RETAKE_WEBHOOK_BACKOFF_MS, default 10000: first webhook retry delay, the unit of the retry schedule (10 s … 6 h over about 10.6 hours). */
  webhookBackoffMs: number;
  /** RETAKE_MAX_INPUT_BYTES, default 1 GiB: largest input fetched from a URL. */
  maxInputBytes: number;
  /** RETAKE_FETCH_TIMEOUT_MS, default 60000: an input URL must answer and finish in this time. */
  fetchTimeoutMs: number;
  /** RETAKE_SYNC_TIMEOUT_MS, default 600000: longest a sync request waits. */
  syncTimeoutMs: number;
  /** RETAKE_KEEPALIVE_MS, default 15000: SSE keep-alive comment interval. */
  keepAliveMs: number;
  /** FAL_KEY / LUMA_API_KEY and their base URLs, for the hosted model. */
  falKey: string | undefined;
  falQueueUrl: string;
  falStorageUrl: string;
  lumaApiKey: string | undefined;
  lumaApiUrl: string;
  /** RETAKE_WEBHOOK_SECRET: HMAC key for webhook signatures; default: generated once into `<dataDir>/webhook-secret`. */
  webhookSecret: string | undefined;
  /** RETAKE_LOG_LEVEL, default info. */
  logLevel: string;
  /** RETAKE_S3_*: blobs in an S3-compatible bucket instead of under dataDir; unset without RETAKE_S3_BUCKET. */
  s3: S3Config | undefined;
  /** RETAKE_SHUTDOWN_MS, default 30000: on SIGTERM, how long running renders may finish before they are handed back. */
  shutdownMs: number;
  /**
   * RETAKE_METRICS_PORT: a worker's operator port serving only /metrics, /readyz and
   * /healthz (a worker has no API port to scrape). Unset: none. Ignored by roles that
   * serve the API, which answer those paths on RETAKE_PORT.
   */
  metricsPort: number | undefined;
  /** RETAKE_MODELS_FILE: operator-declared models (ComfyUI workflows), YAML or JSON; see docs/comfyui.md. */
  modelsFile: string | undefined;
  /** RETAKE_COMFYUI_POLL_MS, default 1000: how often a ComfyUI prompt's history is read while its socket is down. */
  comfyPollMs: number;
}

/** Blob storage in S3 (credentials come from the AWS SDK's standard variables). */
export interface S3Config {
  /** RETAKE_S3_BUCKET: an existing bucket. */
  bucket: string;
  /** RETAKE_S3_ENDPOINT: an S3-compatible service's URL; default AWS. */
  endpoint: string | undefined;
  /** RETAKE_S3_REGION, default AWS_REGION or us-east-1. */
  region: string;
  /** RETAKE_S3_FORCE_PATH_STYLE=1: `endpoint/bucket/key` URLs (most self-hosted servers). */
  forcePathStyle: boolean;
  /** RETAKE_S3_PRESIGN_S, default 0: when > 0, `/files/...` redirects to a presigned URL valid this long instead of streaming. */
  presignS: number;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return Math.floor(n);
}

function flag(env: Env, name: string): boolean {
  return ['1', 'true', 'yes'].includes((env[name] ?? '').toLowerCase());
}

/** Read the configuration from `env` (default: process.env), then apply `overrides`. */
export function loadConfig(overrides: Partial<Config> = {}, env: Env = process.env): Config {
  const host = env.RETAKE_HOST || '127.0.0.1';
  const port = int(env, 'RETAKE_PORT', 8787);
  const base: Config = {
    host,
    port,
    dataDir: resolve(env.RETAKE_DATA_DIR || '.retake'),
    publicUrl: (env.RETAKE_PUBLIC_URL || `http://${host}:${port}`).replace(/\/+$/, ''),
    bootstrapKey: env.RETAKE_BOOTSTRAP_KEY || undefined,
    allowPrivateUrls: flag(env, 'RETAKE_ALLOW_PRIVATE_URLS'),
    databaseUrl: env.RETAKE_DATABASE_URL || undefined,
    redisUrl: env.RETAKE_REDIS_URL || undefined,
    concurrency: Math.max(1, int(env, 'RETAKE_CONCURRENCY', 1)),
    leaseMs: int(env, 'RETAKE_LEASE_MS', 30_000),
    maxAttempts: Math.max(1, int(env, 'RETAKE_MAX_ATTEMPTS', 3)),
    maxUploadBytes: int(env, 'RETAKE_MAX_UPLOAD_BYTES', 2 * 1024 ** 3),
    bodyStallMs: int(env, 'RETAKE_BODY_STALL_MS', 30_000),
    maxUploadsPerKey: Math.max(1, int(env, 'RETAKE_MAX_UPLOADS_PER_KEY', 8)),
    rateLimitSubmit: int(env, 'RETAKE_RATE_LIMIT_SUBMIT', 1200),
    rateLimitRead: int(env, 'RETAKE_RATE_LIMIT_READ', 60_000),
    authFailuresPerMinute: int(env, 'RETAKE_AUTH_FAILURES_PER_MINUTE', 30),
    webhookBackoffMs: Math.max(10, int(env, 'RETAKE_WEBHOOK_BACKOFF_MS', 10_000)),
    maxInputBytes: int(env, 'RETAKE_MAX_INPUT_BYTES', 1024 ** 3),
    fetchTimeoutMs: int(env, 'RETAKE_FETCH_TIMEOUT_MS', 60_000),
    syncTimeoutMs: int(env, 'RETAKE_SYNC_TIMEOUT_MS', 600_000),
    keepAliveMs: int(env, 'RETAKE_KEEPALIVE_MS', 15_000),
    falKey: env.FAL_KEY || undefined,
    falQueueUrl: env.RETAKE_FAL_QUEUE_URL || 'https://queue.fal.run',
    falStorageUrl: env.RETAKE_FAL_STORAGE_URL || 'https://rest.alpha.fal.ai/storage',
    lumaApiKey: env.LUMA_API_KEY || undefined,
    lumaApiUrl: env.RETAKE_LUMA_API_URL || 'https://agents.lumalabs.ai/v1',
    webhookSecret: env.RETAKE_WEBHOOK_SECRET || undefined,
    logLevel: env.RETAKE_LOG_LEVEL || 'info',
    s3: env.RETAKE_S3_BUCKET
      ? {
          bucket: env.RETAKE_S3_BUCKET,
          endpoint: env.RETAKE_S3_ENDPOINT || undefined,
          region: env.RETAKE_S3_REGION || env.AWS_REGION || 'us-east-1',
          forcePathStyle: flag(env, 'RETAKE_S3_FORCE_PATH_STYLE'),
          presignS: int(env, 'RETAKE_S3_PRESIGN_S', 0),
        }
      : undefined,
    shutdownMs: int(env, 'RETAKE_SHUTDOWN_MS', 30_000),
    metricsPort: env.RETAKE_METRICS_PORT ? int(env, 'RETAKE_METRICS_PORT', 0) : undefined,
    modelsFile: env.RETAKE_MODELS_FILE ? resolve(env.RETAKE_MODELS_FILE) : undefined,
    comfyPollMs: Math.max(20, int(env, 'RETAKE_COMFYUI_POLL_MS', 1000)),
  };
  const merged = { ...base, ...overrides };
  if (overrides.publicUrl === undefined && !env.RETAKE_PUBLIC_URL) {
    merged.publicUrl = `http://${merged.host}:${merged.port}`;
  }
  return merged;
}
