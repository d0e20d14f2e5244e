/**
 * The two sides of the engine benchmark's ratio: a render through the real local
 * engine (an EngineJob over a local file), and a plain FFmpeg transcode of the same
 * input to the same size with exactly the engine's codec settings. The transcode takes
 * its arguments from the engine's own render plan with the look's filters left out, so
 * a change of preset, CRF or pixel format in the engine moves both sides alike.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type * as LocalEngine from '../../src/engines/local/index.ts';
import { runFfmpeg } from '../../src/engines/local/ffmpeg-process.ts';
import { probeMedia } from '../../src/engines/local/probe.ts';
import { promptToLook } from '../../src/engines/local/prompt-to-look.ts';
import { planRender } from '../../src/engines/local/render-plan.ts';
import type { EngineJob } from '../../src/engines/types.ts';
import type { Duration, Resolution, VideoRequest } from '../../src/models/request.ts';
import { childCpuSeconds } from './process-tree.ts';

export interface Timing {
  /** Wall-clock seconds. */
  wallS: number;
  /** CPU seconds of the FFmpeg (and ffprobe) children. */
  cpuS: number;
}

export interface RenderSpec {
  sourcePath: string;
  /** A restyled frame 0 (guided mode); default none. */
  imagePath?: string | undefined;
  prompt: string;
  resolution: Resolution;
  duration: Duration;
}

/**
 * The engine as `npm start` runs it: compiled, in dist/ (built here if missing or stale).
 * Its children (the marks and guided stages) then start as plain node; from the sources
 * each would first load the TypeScript loader, about 0.9 s of CPU a render that a
 * server never pays.
 */
execFileSync(process.execPath, [resolve('bin/start.js'), '--build-if-stale'], { stdio: 'inherit' });
const compiled = (await import(pathToFileURL(resolve('dist/engines/local/index.js')).href)) as typeof LocalEngine;
const engine = compiled.createLocalEngine();

async function timed(work: () => Promise<unknown>): Promise<Timing> {
  const cpu0 = childCpuSeconds();
  const t0 = performance.now();
  await work();
  return { wallS: (performance.now() - t0) / 1000, cpuS: childCpuSeconds() - cpu0 };
}

async function inWorkDir(work: (dir: string) => Promise<unknown>): Promise<Timing> {
  const dir = await mkdtemp(join(tmpdir(), 'retake-bench-engine-'));
  try {
    return await timed(() => work(dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function request(spec: RenderSpec): VideoRequest {
  return {
    prompt: spec.prompt, input_video: spec.sourcePath, resolution: spec.resolution, duration: spec.duration, hdr: false, exr_export: false,
    ...(spec.imagePath ? { input_image: spec.imagePath } : {}),
  };
}

/** Render `spec` with `createLocalEngine().render(...)`, input copied in like a job's fetch. */
export function engineRender(spec: RenderSpec): Promise<Timing> {
  return inWorkDir(async (workDir) => {
    const job: EngineJob = {
      generationId: 'gen_bench',
      request: request(spec),
      workDir,
      signal: new AbortController().signal,
      onProgress: () => undefined,
      async fetchInput(path, name) {
        const dest = join(workDir, name);
        await copyFile(path, dest);
        return dest;
      },
    };
    await engine.render(job);
  });
}

/**
 * A plain transcode of `spec`'s input at its output size: the engine's plan for the
 * request, with the filtergraph reduced to frame rate, scale and pixel format.
 */
export function plainTranscode(spec: RenderSpec): Promise<Timing> {
  return inWorkDir(async (workDir) => {
    const sourcePath = join(workDir, 'source');
    await copyFile(spec.sourcePath, sourcePath);
    const source = await probeMedia(sourcePath);
    const planFor = (prompt: string) => planRender({ source, sourcePath, request: request(spec), look: promptToLook(prompt), outputPath: join(workDir, 'out.mp4') });
    // A look with a marks step plans an encoder that reads a pipe: the transcode is planned from a look of filters.
    const first = planFor(spec.prompt);
    const plan = first.marks ? planFor('neutral') : first;
    const args = [...plan.args];
    const at = args.indexOf('-filter_complex');
    if (at < 0) throw new Error('the render plan has no -filter_complex to replace');
    // The graph's output is whichever label the plan maps.
    const mapped = args.find((arg, i) => args[i - 1] === '-map' && arg.startsWith('[')) ?? '[v]';
    args[at + 1] = `[0:v]fps=${plan.fps},scale=${plan.width}:${plan.height}:flags=bicubic,setsar=1,format=yuv420p${mapped}`;
    await runFfmpeg(args, { totalSeconds: plan.duration });
  });
}

/**
 * The plain transcode guided mode is measured against, exactly as an operator would
 * type it: `ffmpeg -i clip -t 5 -vf scale=-2:<height> -c:v libx264 -c:a aac out.mp4`
 * (x264's default preset, audio included).
 */
export function referenceTranscode(sourcePath: string, height: number): Promise<Timing> {
  return inWorkDir(async (workDir) => {
    const args = ['-v', 'error', '-i', sourcePath, '-t', '5', '-vf', `scale=-2:${height}`, '-c:v', 'libx264', '-c:a', 'aac', '-y', join(workDir, 'out.mp4')];
    await runFfmpeg(args, { totalSeconds: 5 });
  });
}
