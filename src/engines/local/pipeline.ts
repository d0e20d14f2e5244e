/**
 * One local render, start to finish: fetch the inputs, probe them, compile the prompt,
 * plan, render with progress into a temp name and rename it into place (so a crash
 * never leaves a half-written output under the final name), and say what was understood.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RetakeError } from '../../errors/index.ts';
import type { EngineJob, EngineOutput, EngineResult } from '../types.ts';
import { EXR_FRAME_PATTERN, packExrFrames } from './exr-export.ts';
import { runFfmpeg } from './ffmpeg-process.ts';
import { referencePathWarning } from './pixel-stage/index.ts';
import { discardGuidedFiles, guidedInterpretation, guidedStrength, learnGuided, learnGuidedKeyframes, renderGuided, type GuidedGeometry, type GuidedLearning } from './guided/index.ts';
import { fetchKeyframes, guidedWarnings } from './guided/keyframes/inputs.ts';
import { dynamicRangeOf, hdrToSdrFilter, HDR10_METADATA, SDR_WHITE_NITS } from './hdr.ts';
import { probeMedia, type ProbeLimits } from './probe.ts';
import { imageLookInterpretation, lookInterpretation, type LocalInterpretation } from './interpretation.ts';
import { runMarksRender } from './marks/stage.ts';
import { interpretPrompt } from './prompt-to-look.ts';
import { autoSchedule, imageTransfer } from './render-inputs.ts';
import { fpsValue, planRender, renderGeometry } from './render-plan.ts';
import { shotTone } from './source-analysis.ts';
import { DEFAULT_EDIT_STRENGTH } from './strength.ts';

export interface PipelineOptions {
  ffmpegPath?: string | undefined;
  ffprobePath?: string | undefined;
  limits?: ProbeLimits | undefined;
  /** Cap on EXR sidecar frames; default EXR_MAX_FRAMES (render-plan.ts). */
  exrMaxFrames?: number | undefined;
}

/** Share of the progress bar given to fetching and probing; rendering gets the rest. */
const PREPARE_SHARE = 0.05;

/** Render `job` with FFmpeg; outputs are written inside `job.workDir`. */
export async function runLocalPipeline(job: EngineJob, options: PipelineOptions = {}): Promise<EngineResult> {
  const { request, signal } = job;
  const probeOptions = { ffprobePath: options.ffprobePath, signal, ...options.limits };
  job.onProgress({ progress: 0, stage: 'fetching' });
  const sourcePath = await job.fetchInput(request.input_video, 'source');
  const imagePath = request.input_image ? await job.fetchInput(request.input_image, 'image') : undefined;
  const keyframes = await fetchKeyframes(job);

  job.onProgress({ progress: PREPARE_SHARE / 2, stage: 'probing' });
  const source = await probeMedia(sourcePath, probeOptions);
  if (source.isStill) throw new RetakeError('input_no_video_stream', 'input_video is a still image, not a video');
  for (const image of [imagePath, ...(keyframes ?? []).map((k) => k.path)]) if (image) await probeMedia(image, probeOptions);
  // What stands as frame 0, and whose colours the fallback transfers (guided/keyframes/).
  const frame0Image = imagePath ?? keyframes?.find((k) => k.frame === 0)?.path;
  const transferImage = imagePath ?? keyframes?.[0]?.path;

  const outputPath = join(job.workDir, 'output.mp4');
  const partialPath = join(job.workDir, 'output.partial.mp4');
  const framesDir = join(job.workDir, 'exr-frames');
  const exrPattern = request.hdr && request.exr_export ? join(framesDir, EXR_FRAME_PATTERN) : undefined;
  const analysis = { ffmpegPath: options.ffmpegPath, signal, tempDir: job.workDir };
  const guidedGeometry: GuidedGeometry = { ...renderGeometry(source, request), sourceWidth: source.width, sourceHeight: source.height };
  // input_image and keyframes never fail the job: if learning fails, the colour transfer runs.
  const learnGuidedOrNot = async (notes: string[]): Promise<GuidedLearning | undefined> => {
    const common = { sourcePath, geometry: guidedGeometry, workDir: job.workDir, toSdr: hdrToSdrFilter(source), ...analysis };
    try {
      const learning = keyframes
        ? await learnGuidedKeyframes({ ...common, keyframes, sourceFps: source.fps ?? fpsValue(guidedGeometry.fps) })
        : await learnGuided({ ...common, imagePath: transferImage! });
      notes.push(...guidedWarnings(learning));
      return learning;
    } catch (err) {
      await discardGuidedFiles(job.workDir);
      if (signal.aborted) throw err;
      notes.push(`The look of ${keyframes ? 'the keyframes' : 'input_image'} could not be learned; ${keyframes ? 'the first one\'s' : 'its'} colours are transferred to the clip instead`);
      return undefined;
    }
  };
  if (request.auto_controls || transferImage) job.onProgress({ progress: PREPARE_SHARE * 0.75, stage: 'analysing' });
  // Guided learning (a child process) needs only the geometry, so it runs while the
  // prompt is read: the first reading in a process loads the sentence embedder, seconds
  // of this process's CPU that would otherwise come before the learning's.
  const guidedNotes: string[] = [];
  // Settled at once, so a cancel during learning is no unhandled rejection meanwhile;
  // whatever fails first, the learning child has exited before the error goes up.
  const learning = transferImage
    ? learnGuidedOrNot(guidedNotes).then((value) => ({ value }), (error: unknown) => ({ error }))
    : undefined;
  const afterLearning = async (err: unknown): Promise<never> => {
    await learning;
    throw err;
  };
  const look = await interpretPrompt(request.prompt).catch(afterLearning);
  const planInput = { source, sourcePath, imagePath: frame0Image, request, look, outputPath: partialPath, exrPattern, exrMaxFrames: options.exrMaxFrames };
  const facts = planRender(planInput);
  const learned = await learning;
  if (learned && 'error' in learned) throw learned.error;
  const guided = learned?.value;
  const useGuided = guided?.decision === 'guided';
  // Guided mode maps each pixel by its own appearance, the same on every frame, so fast
  // motion and cuts need no gentler level: auto_controls applies the full learned look.
  const auto = request.auto_controls && !useGuided ? await autoSchedule(sourcePath, look, facts, analysis) : undefined;
  const strength = guidedStrength(request.edit_strength);
  const transfer = transferImage && !useGuided ? await imageTransfer(sourcePath, transferImage, look, facts, analysis, hdrToSdrFilter(source)) : undefined;
  // Each shot's tone, so the look crushes no dark shot and blanks no bright one (shot-tone.ts).
  const tone = useGuided ? undefined : await shotTone(sourcePath, facts.fps, facts.duration, analysis, hdrToSdrFilter(source));
  const plan = planRender({ ...planInput, tone, segments: auto?.segments, grade: transfer ? [transfer.filter] : undefined });
  const warnings = [...plan.warnings, ...guidedNotes];
  if (look.model_warning) warnings.push(look.model_warning);
  if (look.used_words.length === 0) {
    warnings.push('No style or colour word of the prompt is known to retake-local; a gentle neutral grade was applied');
  }
  const sourceRange = dynamicRangeOf(source);
  if (sourceRange !== 'sdr' && !request.hdr) {
    warnings.push(`The source is HDR (${sourceRange.toUpperCase()}); it was tone-mapped to SDR because hdr was not requested`);
  }

  job.onProgress({ progress: PREPARE_SHARE, stage: 'rendering' });
  const outputs: EngineOutput[] = [{ kind: 'video', path: outputPath, contentType: 'video/mp4' }];
  let exrFrames = 0;
  try {
    if (plan.exrFrames > 0) await mkdir(framesDir, { recursive: true });
    const onProgress = ({ fraction, etaS }: { fraction: number; etaS: number | undefined }): void =>
      job.onProgress({ progress: PREPARE_SHARE + (1 - PREPARE_SHARE) * fraction, stage: 'rendering', eta_s: etaS });
    if (useGuided && guided) {
      const slower = referencePathWarning();
      if (slower) warnings.push(slower);
      await renderGuided({
        sourcePath, geometry: guidedGeometry, learning: guided, strength, hasAudio: plan.hasAudio,
        audioChannels: source.audioChannels, hdr: plan.hdr, exrPattern, exrFrames: plan.exrFrames, outputPath: partialPath,
        toSdr: hdrToSdrFilter(source), ffmpegPath: options.ffmpegPath, signal, onProgress,
      });
    } else if (plan.marks) {
      await runMarksRender({ ...plan, marks: plan.marks }, { ffmpegPath: options.ffmpegPath, signal, onProgress });
    } else {
      await runFfmpeg(plan.args, { ffmpegPath: options.ffmpegPath, signal, totalSeconds: plan.duration, onProgress });
    }
    if (plan.exrFrames > 0) {
      job.onProgress({ progress: 1, stage: 'packing exr' });
      const zipPath = join(job.workDir, 'output-exr.zip');
      exrFrames = await packExrFrames({ framesDir, zipPath, signal });
      outputs.push({ kind: 'exr', path: zipPath, contentType: 'application/zip' });
    }
    await rename(partialPath, outputPath);
  } catch (err) {
    await rm(partialPath, { force: true });
    await rm(framesDir, { recursive: true, force: true });
    throw err;
  } finally {
    if (transferImage) await discardGuidedFiles(job.workDir);
  }

  const interpretation: LocalInterpretation = {
    // In guided mode the image decided the look, and the top level says so.
    ...(useGuided && guided ? imageLookInterpretation(look) : lookInterpretation(look)),
    edit_strength: request.auto_controls ? 'auto' : (request.edit_strength ?? DEFAULT_EDIT_STRENGTH),
    ...(auto ? { schedule: auto.schedule } : {}),
    ...(transfer ? { colour_transfer: { maps: transfer.maps, tone_only: transfer.tone_only } } : {}),
    intensity: plan.intensity,
    // Frames per second as a number (30, 29.97), whatever form FFmpeg was given it in.
    output: { width: plan.width, height: plan.height, fps: Math.round(fpsValue(plan.fps) * 1000) / 1000, duration_s: plan.duration, audio: plan.hasAudio },
    first_frame_image: frame0Image !== undefined,
    ...(guided ? { mode: useGuided ? 'guided' : 'prompt', guided: guidedInterpretation(guided, strength, fpsValue(plan.fps)) } : {}),
    dynamic_range: {
      source: sourceRange,
      output: plan.hdr ? 'hdr10' : 'sdr',
      ...(plan.hdr ? { sdr_white_nits: SDR_WHITE_NITS, max_cll: HDR10_METADATA.maxCll, max_fall: HDR10_METADATA.maxFall } : {}),
    },
    ...(exrFrames > 0 ? { exr: { frames: exrFrames, pixel: 'half', colour_space: 'ACES2065-1 (AP0), scene-linear' } } : {}),
  };
  return { outputs, interpretation, warnings };
}
