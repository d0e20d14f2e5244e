/**
 * An EngineJob for driving a hosted engine directly in tests: a real work directory, a
 * recorded progress trail, an in-memory checkpoint, and inputs resolved like the runner
 * does (retake upload URLs from fixtures, other URLs fetched over HTTP).
 */
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineJob, EngineProgress } from '../../src/engines/types.ts';
import type { VideoRequest } from '../../src/models/request.ts';
import { MEDIA_DIR } from './media-server.ts';

/** retake's public URL in these tests; its `/files/uploads/...` URLs map to fixtures. */
export const PUBLIC_URL = 'http://retake.test';

export interface TestJob {
  job: EngineJob;
  progress: EngineProgress[];
  /** What the engine checkpointed, and when. */
  checkpoint: { value: Record<string, unknown> | undefined; setAt: number[] };
  controller: AbortController;
  fetched: string[];
}

export async function testJob(request: Partial<VideoRequest> & Pick<VideoRequest, 'input_video'>, saved?: Record<string, unknown>): Promise<TestJob> {
  const workDir = await mkdtemp(join(tmpdir(), 'retake-hosted-'));
  const controller = new AbortController();
  const progress: EngineProgress[] = [];
  const fetched: string[] = [];
  const checkpoint: TestJob['checkpoint'] = { value: saved, setAt: [] };
  const job: EngineJob = {
    generationId: 'gen_test',
    request: { prompt: 'watercolor, soft pastel', resolution: '540p', duration: '5s', hdr: false, exr_export: false, ...request },
    workDir,
    signal: controller.signal,
    onProgress: (p) => progress.push(p),
    async fetchInput(url, name) {
      fetched.push(url);
      const dest = join(workDir, name);
      const own = url.startsWith(`${PUBLIC_URL}/files/uploads/`) ? url.split('/').pop()! : undefined;
      if (own) {
        await copyFile(join(MEDIA_DIR, own), dest);
        return dest;
      }
      const res = await fetch(url, { signal: controller.signal });
      if (!res.ok) throw new Error(`fixture fetch ${res.status}`);
      await writeFile(dest, Buffer.from(await res.arrayBuffer()));
      return dest;
    },
    checkpoint: {
      get: () => Promise.resolve(checkpoint.value),
      set: (value) => {
        checkpoint.value = value;
        checkpoint.setAt.push(Date.now());
        return Promise.resolve();
      },
    },
  };
  return { job, progress, checkpoint, controller, fetched };
}

/** A public address the provider could fetch itself (never contacted by the tests). */
export const PUBLIC_VIDEO = 'http://93.184.215.14/clips/dancer.mp4';
export const PUBLIC_IMAGE = 'http://93.184.215.14/stills/first-frame.png';

/**
 * An EngineJob for driving retake-local directly: a 540p/5s SDR request (overridden by
 * `request`) whose inputs are copied into `workDir` as a run's fetch would bring them,
 * a relative name taken from the fixture media.
 */
export function localJob(workDir: string, request: Partial<VideoRequest> & Pick<VideoRequest, 'input_video'>, signal = new AbortController().signal): EngineJob & { workDir: string } {
  return {
    generationId: 'gen_local',
    request: { prompt: 'neutral', resolution: '540p', duration: '5s', hdr: false, exr_export: false, ...request },
    workDir,
    signal,
    onProgress: () => undefined,
    async fetchInput(path, name) {
      const dest = join(workDir, name);
      await copyFile(path.startsWith('/') ? path : join(MEDIA_DIR, path), dest);
      return dest;
    },
  };
}
