/**
 * The guided child process: pixel work that must not run on the server's event loop.
 *
 *   learn <frame0.rgb> <image.rgb> <width> <height> <model.json>
 *     aligns and fits (the fit on a second thread meanwhile), writes the model and,
 *     when the restyle has a canvas or picture marks, the marks beside it (marks/),
 *     prints the keyframe report with the parts found as JSON;
 *   apply <model.json> <width> <height> <strength> <threads> [<first-frame.rgb>]
 *     reads raw RGB frames on stdin, writes mapped frames on stdout in order (frame 0
 *     replaced by the given first frame, the image), until stdin ends; the mapping (and
 *     the marks, when a marks file stands beside the model) runs on `threads` worker
 *     threads (map-frames.ts);
 *   apply-plan <plan.json> <width> <height> <strength> <threads> [<first-frame.rgb>]
 *     the same with keyframes: each frame's models come from the plan (keyframes/).
 *
 * Started through child-command.ts; killed with its process group on cancel.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { learnFromKeyframeBeside, type KeyframeFit } from './learn.ts';
import { learnLook } from './marks/learn-look.ts';
import { marksPathFor, serialiseMarks } from './marks/marks.ts';
import type { LearnWorkerData } from './learn-worker.ts';
import type { RgbFrame } from './metrics.ts';
import { mapFrames } from './map-frames.ts';
import { serialiseModel } from './model-file.ts';
import { startThread } from './start-thread.ts';

async function readRaw(path: string, width: number, height: number): Promise<RgbFrame> {
  const data = await readFile(path);
  if (data.length < width * height * 3) throw new Error(`${path} holds less than one ${width}x${height} frame`);
  return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, width * height * 3) };
}

async function learn(args: string[]): Promise<void> {
  const [sourcePath, imagePath, w, h, modelPath] = args;
  const width = Number(w), height = Number(h);
  const source = await readRaw(sourcePath!, width, height);
  const image = await readRaw(imagePath!, width, height);
  // The fit on the image as it stands runs on a second thread while this one aligns.
  const worker = startThread('learn-worker', { width, height, source: source.data, image: image.data } satisfies LearnWorkerData);
  const fitOnImage = new Promise<KeyframeFit>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the fitting thread exited with code ${code}`)));
  });
  fitOnImage.catch(() => undefined);
  const learned = await learnFromKeyframeBeside(source, image, fitOnImage).finally(() => worker.terminate());
  // What the restyle did beyond the mapping: its canvas and picture marks (marks/).
  const { report, model, marks } = learnLook(source, learned);
  if (model) await writeFile(modelPath!, serialiseModel(model));
  if (marks) await writeFile(marksPathFor(modelPath!), serialiseMarks(marks));
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

async function apply(args: string[], plan: boolean): Promise<void> {
  const [path, w, h, s, t, firstPath] = args;
  const width = Number(w), height = Number(h);
  const first = firstPath ? await readRaw(firstPath, width, height) : undefined;
  await mapFrames({
    modelPath: path!, planPath: plan ? path : undefined, width, height, strength: Number(s), threads: Number(t),
    first: first?.data, input: process.stdin, output: process.stdout,
  });
}

const [mode, ...rest] = process.argv.slice(2);
// A closed pipe means the encoder stopped (cancel or failure); the parent reports why.
process.stdout.on('error', () => process.exit(0));
try {
  if (mode === 'learn') await learn(rest);
  else if (mode === 'apply' || mode === 'apply-plan') await apply(rest, mode === 'apply-plan');
  else throw new Error(`unknown mode ${String(mode)}`);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
