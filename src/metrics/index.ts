/** Prometheus metrics (`GET /metrics`): one registry per retake process. */
export { createMetrics, type Metrics, type MetricsOptions } from './metrics.ts';
