/**
 * A shutdown that lands while a job is being marked started (between the claim and the
 * moment its engine gets a cancellable signal) must still stop it: before, the abort
 * fired before the runner listened for it, the engine never heard of it, and closing
 * the server waited forever for a job that would never end (seen as a hung test under
 * load). Now the job is handed back to the queue and close returns at once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRetake } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Engine } from '../engines/types.ts';

/** Never finishes unless its signal is aborted (and only hears an abort that comes later). */
const rendered: AbortSignal[] = [];
const waitsForAbort: Engine = {
  id: 'waits',
  render: (job) => {
    rendered.push(job.signal);
    return new Promise((_, fail) => job.signal.addEventListener('abort', () => fail(new Error('aborted'))));
  },
};

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('job runner and shutdown', () => {
  it('hands back a job whose shutdown came while it was being started, and close returns', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'retake-runner-shutdown-'));
    dirs.push(dataDir);
    const retake = await createRetake(loadConfig({ dataDir, logLevel: 'silent', allowPrivateUrls: true }, {}), { role: 'all', pollMs: 20, engines: { local: waitsForAbort } });
    const key = (await retake.keys.create({ name: 's', hdrAccess: false })).key;
    let closing: Promise<void> | undefined;
    // The 'started' event is published before the runner wires the abort to the engine:
    // stop the server right there.
    retake.events.subscribe(key.id, (event) => {
      if (event.type === 'media_generation_started') closing ??= retake.close();
    });
    const [row] = await retake.generations.submit({ key, model: 'retake-local', body: { prompt: 'noir', input_video: 'http://127.0.0.1:9/a.mp4' } });
    const started = Date.now();
    while (!closing && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 10));
    expect(closing, 'the job never started').toBeDefined();
    const outcome = await Promise.race([closing!.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still waiting'), 5000))]);
    expect(outcome).toBe('closed');
    // The engine either never started or was told to stop.
    expect(rendered.every((signal) => signal.aborted)).toBe(true);
    // The generation is left to run again, not failed.
    const reopened = await createRetake(loadConfig({ dataDir, logLevel: 'silent', allowPrivateUrls: true }, {}), { role: 'api' });
    try {
      expect((await reopened.store.generations.get(row!.id))?.status).toMatch(/queued|processing/);
    } finally {
      await reopened.close();
    }
  });
});
