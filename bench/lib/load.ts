/**
 * Request loops for the benchmarks: a closed-loop throughput run over keep-alive
 * connections and a sequential latency run. Both stop at a request count or a
 * deadline, whichever comes first.
 */
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';

export interface RateOptions {
  /** Requests in flight at once. Default 32. */
  concurrency?: number;
  /** Stop after this long. Default 3000 ms. */
  durationMs?: number;
  /** Stop after this many requests. Default 100000. */
  maxRequests?: number;
}

export interface RateResult {
  requests: number;
  errors: number;
  perSecond: number;
}

/** Requests per second of `GET path` (non-2xx answers count as errors, not requests). */
export async function measureRate(
  dispatcher: Dispatcher,
  path: string,
  headers: Record<string, string>,
  options: RateOptions = {},
): Promise<RateResult> {
  const durationMs = options.durationMs ?? 3000;
  const maxRequests = options.maxRequests ?? 100_000;
  const start = performance.now();
  const deadline = start + durationMs;
  let issued = 0;
  let ok = 0;
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (issued < maxRequests && performance.now() < deadline) {
      issued += 1;
      const res = await dispatcher.request({ method: 'GET', path, headers });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) ok += 1;
      else errors += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 32 }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { requests: ok, errors, perSecond: ok / seconds };
}

export interface LatencyOptions {
  /** Requests to send, one after another. Default 300. */
  count?: number;
  /** Stop early after this long. Default 15000 ms. */
  durationMs?: number;
}

/** Latencies (ms) of `send()` run sequentially; `send` must consume the answer. */
export async function measureLatency(send: () => Promise<void>, options: LatencyOptions = {}): Promise<number[]> {
  const count = options.count ?? 300;
  const deadline = performance.now() + (options.durationMs ?? 15_000);
  const samples: number[] = [];
  for (let i = 0; i < count && performance.now() < deadline; i++) {
    const t0 = performance.now();
    await send();
    samples.push(performance.now() - t0);
  }
  return samples;
}
