/**
 * `retake edit <file|url>`: re-renders one video with the built-in engine, in this
 * process, with no server and no database. The request goes through the same schema
 * validation as the API, so a command line that works here works as an API call.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../config.ts';
import type { EngineResult } from '../../engines/types.ts';
import { RetakeError } from '../../errors/index.ts';
import { keyframesPastEnd, sourceFrameCount } from '../../jobs/keyframe-range.ts';
import { parseVideoRequest, type VideoRequest } from '../../models/index.ts';
import { keyframesFrom, parseKeyframeFlag, probeSource } from '../keyframe-flags.ts';
import { cliFetchInput, makeWorkDir, removeWorkDir, sidecarPath, writeAtomically } from '../local-job.ts';
import { EXIT_OK, formatBytes, UsageError } from '../output.ts';
import { createProgressReporter } from '../progress.ts';

export interface EditOptions {
  prompt: string;
  /** Output path (required). */
  output: string;
  /** 540p | 720p | 1080p. Default 540p. */
  resolution?: string;
  /** 5s | 10s. Default 5s. */
  duration?: string;
  /** adhere_1..3 | flex_1..3 | reimagine_1..3. Default: the model's (flex_2). */
  editStrength?: string;
  /** Derive the strength schedule from the source. Default false. */
  autoControls?: boolean;
  /** HDR10 output (720p/1080p). Default false. */
  hdr?: boolean;
  /** OpenEXR sidecar (needs --hdr). Default false. */
  exrExport?: boolean;
  /** First-frame / look image, a file or a URL. */
  image?: string;
  /** `FRAME:FILE` restyled source frames (`48:a.png`, `2.5s:b.png`). Default none. */
  keyframe?: string[];
  /** Print the result as JSON on stdout. Default false. */
  json?: boolean;
}

/** Exit code of a render stopped by Ctrl-C (the shell convention, 128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/** Command-line flag for each request field, so problems name what the user typed. */
export const FLAG_OF: Record<string, string> = {
  prompt: '--prompt',
  input_video: '<file|url>',
  input_image: '--image',
  keyframes: '--keyframe',
  resolution: '--resolution',
  duration: '--duration',
  edit_strength: '--edit-strength',
  auto_controls: '--auto-controls',
  hdr: '--hdr',
  exr_export: '--exr-export',
};

/** A URL for a file argument: URLs pass through, local files must exist and become `file:` URLs. */
export async function inputUrl(arg: string, what: string): Promise<string> {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) return arg;
  const path = resolve(arg);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`${what} not found: ${arg}`);
  return pathToFileURL(path).href;
}

/** The request body the flags describe, checked by the model's schema (exit 2 with every problem). */
async function requestFrom(source: string, options: EditOptions): Promise<VideoRequest> {
  const body: Record<string, unknown> = {
    prompt: options.prompt,
    input_video: await inputUrl(source, 'input video'),
  };
  if (options.image !== undefined) body.input_image = await inputUrl(options.image, 'image');
  const flags = (options.keyframe ?? []).map(parseKeyframeFlag);
  if (flags.length > 0) {
    const facts = await probeSource(body.input_video as string, loadConfig());
    const keyframes = await keyframesFrom(flags, (file) => inputUrl(file, 'keyframe image'), () => Promise.resolve(facts));
    body.keyframes = keyframes;
    // The same check the server makes before queueing: frames the source has.
    const past = keyframesPastEnd(keyframes, sourceFrameCount(facts), facts.fps);
    if (past) throw new UsageError('invalid request:', (past.fields ?? []).map((p) => ({ field: 'keyframes (--keyframe)', message: p.message })));
  }
  if (options.resolution !== undefined) body.resolution = options.resolution;
  if (options.duration !== undefined) body.duration = options.duration;
  if (options.editStrength !== undefined) body.edit_strength = options.editStrength;
  if (options.autoControls) body.auto_controls = true;
  if (options.hdr) body.hdr = true;
  if (options.exrExport) body.exr_export = true;
  try {
    return parseVideoRequest(body);
  } catch (err) {
    if (err instanceof RetakeError && isRequestProblem(err.code)) {
      const problems = (err.fields ?? []).map((p) => ({
        field: FLAG_OF[p.field] ? `${p.field} (${FLAG_OF[p.field]})` : p.field,
        message: p.message,
      }));
      throw new UsageError('invalid request:', problems);
    }
    throw err;
  }
}

/** Codes that are a mistake in the command line, reported as usage (exit 2) with the flags named. */
export function isRequestProblem(code: string): boolean {
  return code === 'validation_error' || code === 'invalid_keyframes' || code === 'duplicate_keyframe_frames' || code === 'keyframe_past_end';
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '-' : value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function printResult(result: EngineResult, written: string[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ outputs: written, interpretation: result.interpretation ?? null, warnings: result.warnings }, null, 2)}\n`);
    return;
  }
  if (result.interpretation && Object.keys(result.interpretation).length > 0) {
    process.stdout.write('Understood:\n');
    for (const [key, value] of Object.entries(result.interpretation)) process.stdout.write(`  ${key}: ${describe(value)}\n`);
  }
  for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
}

/** Render `source` per `options` into `options.output`; returns the exit code. */
export async function editCommand(source: string, options: EditOptions): Promise<number> {
  const request = await requestFrom(source, options);
  const output = resolve(options.output);
  const outDir = await stat(dirname(output)).catch(() => undefined);
  if (!outDir?.isDirectory()) throw new UsageError(`output directory does not exist: ${dirname(output)}`);
  if ((await stat(output).catch(() => undefined))?.isDirectory()) throw new UsageError(`-o must name a file, not a directory: ${output}`);

  const config = loadConfig();
  // Loaded only once the command line is valid: usage errors stay instant.
  const { createLocalEngine } = await import('../../engines/local/index.ts');
  const engine = createLocalEngine();
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) return;
    process.stderr.write('\nretake: stopping the render...\n');
    controller.abort(new RetakeError('cancelled', 'Interrupted'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const workDir = await makeWorkDir();
  const progress = createProgressReporter();
  try {
    const result = await engine.render({
      generationId: `cli-${randomUUID()}`,
      request,
      workDir,
      signal: controller.signal,
      onProgress: (p) => progress.update(p),
      fetchInput: cliFetchInput(config, workDir, controller.signal),
    });
    progress.stop();
    const [main, ...sidecars] = result.outputs;
    if (!main) throw new RetakeError('render_failed', 'The engine produced no output');
    const written: string[] = [];
    await writeAtomically(main.path, output);
    written.push(output);
    for (const extra of sidecars) {
      const target = sidecarPath(output, extra);
      await writeAtomically(extra.path, target);
      written.push(target);
    }
    if (!options.json) {
      for (const path of written) {
        const bytes = (await stat(path)).size;
        process.stdout.write(`Wrote ${path} (${formatBytes(bytes)})\n`);
      }
    }
    printResult(result, written, options.json ?? false);
    return EXIT_OK;
  } catch (err) {
    progress.stop();
    if (controller.signal.aborted) {
      process.stderr.write('retake: render cancelled; nothing was written\n');
      return EXIT_INTERRUPTED;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await removeWorkDir(workDir);
  }
}
