import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetake } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Engine } from '../engines/types.ts';
import type { StoredEvent } from '../store/types.ts';
import type { Retake } from '../retake.ts';

/** Reports progress with the float noise an FFmpeg time ratio has, then finishes. */
const noisyEngine: Engine = {
  id: 'noisy',
  async render(job) {
    job.onProgress({ progress: 0.13823581000000001, stage: 'rendering', eta_s: 12.345678 });
    const path = join(job.workDir, 'out.mp4');
    await writeFile(path, 'x');
    return { outputs: [{ kind: 'video', path, contentType: 'video/mp4' }], warnings: [] };
  },
};

describe('progress events', () => {
  let dataDir: string;
  let retake: Retake;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'retake-progress-'));
    retake = await createRetake(loadConfig({ dataDir, logLevel: 'silent', allowPrivateUrls: true }, {}), { role: 'all', pollMs: 20, engines: { local: noisyEngine } });
  });
  afterAll(async () => {
    await retake.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('carry progress to three decimals and the ETA to a tenth of a second', async () => {
    const key = (await retake.keys.create({ name: 'p', hdrAccess: false })).key;
    const seen: StoredEvent[] = [];
    const stop = retake.events.subscribe(key.id, (event) => seen.push(event));
    try {
      const [row] = await retake.generations.submit({ key, model: 'retake-local', body: { prompt: 'noir', input_video: 'http://127.0.0.1:9/a.mp4' } });
      await retake.generations.waitForTerminal(row!.id, 10_000);
      const progress = seen.find((e) => e.type === 'media_generation_progress');
      expect(progress?.data).toMatchObject({ progress: 0.138, eta_s: 12.3, stage: 'rendering' });
    } finally {
      stop();
    }
  });
});
