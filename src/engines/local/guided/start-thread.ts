/**
 * Start one of the guided child's worker threads (map-worker.ts, learn-worker.ts) from
 * its module name. From compiled files the thread runs the .js beside this module; from
 * the TypeScript sources (the CLI, tests) it registers tsx's loader of its own first
 * (loader hooks are not shared between threads), so both ways run the same code.
 */
import { Worker } from 'node:worker_threads';

/** A worker thread running `./<name>.js` (or `.ts`) of this directory with `workerData`. */
export function startThread(name: string, workerData: unknown, transferList: readonly ArrayBuffer[] = []): Worker {
  const self = import.meta.url;
  const options = { workerData, transferList: [...transferList] };
  if (!self.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, self), options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL(`./${name}.ts`, self).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
