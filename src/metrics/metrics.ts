/**
 * Prometheus metrics of one retake process (`GET /metrics`). Each process keeps its
 * own registry (tests build several services in one process); counters and histograms
 * count what happened in this process, so a cluster's totals are Prometheus sums over
 * its nodes. Queue depth is read from the store at scrape time, the same from any node.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobObserver } from '../jobs/types.ts';

export interface MetricsOptions {
  /** Generations queued and processing, read at scrape time. */
  queueDepth: () => Promise<{ queued: number; processing: number }>;
  /** `all`, `api` or `worker`: a constant label, so dashboards can tell nodes apart. */
  role: string;
  /** Also export Node's process metrics (CPU, memory, event-loop lag). Default true. */
  processMetrics?: boolean;
}

export interface Metrics extends JobObserver {
  readonly registry: Registry;
  /** One HTTP request answered, by route pattern (never the raw URL: ids would explode the series). */
  httpRequest(method: string, route: string, status: number, seconds: number): void;
  /** An SSE stream opened; call the returned function when it closes. */
  sseOpened(): () => void;
  /** The exposition text and its content type. */
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** Render times span seconds (a short clip) to many minutes (hosted, 1080p). */
const RENDER_BUCKETS = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800];
const WAIT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ role: options.role });
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'retake_' });

  new Gauge({
    name: 'retake_queue_depth',
    help: 'Generations waiting (queued) and running (processing), across the deployment',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const depth = await options.queueDepth();
      this.set({ state: 'queued' }, depth.queued);
      this.set({ state: 'processing' }, depth.processing);
    },
  });
  const jobs = new Counter({
    name: 'retake_jobs_total',
    help: 'Generations that reached an outcome in this process: succeeded, failed, cancelled, or retried (a transient failure sent back to the queue)',
    labelNames: ['engine', 'outcome'],
    registers: [registry],
  });
  const render = new Histogram({
    name: 'retake_render_seconds',
    help: 'Time an engine took to render one attempt (successful attempts)',
    labelNames: ['engine'],
    buckets: RENDER_BUCKETS,
    registers: [registry],
  });
  const wait = new Histogram({
    name: 'retake_queue_wait_seconds',
    help: 'Time from submission to the first start of a generation',
    labelNames: ['engine'],
    buckets: WAIT_BUCKETS,
    registers: [registry],
  });
  const http = new Histogram({
    name: 'retake_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern',
    labelNames: ['method', 'route', 'status'],
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const sse = new Gauge({
    name: 'retake_sse_subscribers',
    help: 'Open server-sent event streams on this node',
    registers: [registry],
  });

  return {
    registry,
    started(engine, queueWaitS) {
      if (queueWaitS !== undefined) wait.observe({ engine }, Math.max(0, queueWaitS));
    },
    rendered(engine, seconds) {
      render.observe({ engine }, seconds);
    },
    finished(engine, outcome) {
      jobs.inc({ engine, outcome });
    },
    httpRequest(method, route, status, seconds) {
      http.observe({ method, route, status: String(status) }, seconds);
    },
    sseOpened() {
      sse.inc();
      let open = true;
      return () => {
        if (open) sse.dec();
        open = false;
      };
    },
    async scrape() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
