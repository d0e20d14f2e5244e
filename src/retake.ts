/**
 * The assembled service every front end works with (HTTP API, CLI, workers): built by
 * `createRetake()` in `app.ts` from the configuration.
 */
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { EventBus } from './events/types.ts';
import type { GenerationService } from './jobs/types.ts';
import type { KeyService } from './keys/types.ts';
import type { Metrics } from './metrics/index.ts';
import type { BlobStore } from './blobs/types.ts';
import type { Store } from './store/types.ts';

export type Role = 'all' | 'api' | 'worker';

export interface Retake {
  config: Config;
  role: Role;
  logger: Logger;
  store: Store;
  blobs: BlobStore;
  events: EventBus;
  keys: KeyService;
  generations: GenerationService;
  /**
   * The server's secret (RETAKE_WEBHOOK_SECRET, or generated once into the data dir):
   * signs webhooks, and per-purpose secrets (signed URLs, per-key webhook keys) derive from it.
   */
  serverSecret: string;
  /** The public URL of a stored blob (`<publicUrl>/files/<key>`). */
  blobUrl(key: string): string;
  /** This process's Prometheus metrics. */
  metrics: Metrics;
  /** True once shutdown has begun: `/readyz` answers 503 so load balancers move on. */
  draining: boolean;
  /** Resolves when the store, Redis (scale-out) and blob storage all answer; throws naming what does not. */
  ready(): Promise<void>;
  /**
   * Begin shutdown: `/readyz` turns 503 and a worker takes no more jobs; running ones get
   * `graceMs` to finish, then are handed back to the queue. Resolves when none runs here.
   */
  stopJobs(graceMs: number): Promise<void>;
  /**
   * Stop: running jobs get `graceMs` (default 0) to finish, then are handed back to the
   * queue for another worker; then connections close.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}
