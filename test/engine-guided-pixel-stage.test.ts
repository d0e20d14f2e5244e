/**
 * The compiled pixel stage against its TypeScript reference: on every guided fixture
 * clip and effect of the evaluation's own set (three clips × six FFmpeg effects), a
 * mapping learned from frame 0 and its restyle maps the frame at 2 s to the same frame
 * both ways, every value within one 8-bit code, at full strength and below and above
 * it. Both builds of the stage are held to it: the one for processors with AVX2 (where
 * this machine has it) and the portable one every other processor runs. The compiled
 * stage must be in use here: a checkout whose `npm install` did not build it fails
 * this file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { workSize } from '../src/engines/local/guided/index.ts';
import type { RgbFrame } from '../src/engines/local/guided/metrics.ts';
import { applyGuidedModel, applyGuidedModelReference, fitGuidedModel } from '../src/engines/local/guided/model.ts';
import { pixelStageProblem, predictWithPixelStage } from '../src/engines/local/pixel-stage/index.ts';
import { outputSize } from '../src/engines/local/render-plan.ts';
import { frameIndexes, restylePair, sourceFrames } from './support/guided-fixtures.ts';
import { evaluationPairs, type EvaluationPair } from './support/guided-sets.ts';
import { scaled } from './support/deadline.ts';

const root = await mkdtemp(join(tmpdir(), 'retake-pixel-stage-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const pairs = await evaluationPairs({ sets: ['own'], dir: root });
const byClip = new Map<string, EvaluationPair[]>();
for (const pair of pairs) byClip.set(pair.clip, [...(byClip.get(pair.clip) ?? []), pair]);

/** The largest difference between two frames, and how many values differ at all. */
function difference(a: Uint8Array, b: Uint8Array): { max: number; differing: number } {
  let max = 0, differing = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > 0) differing++;
    if (d > max) max = d;
  }
  return { max, differing };
}

/** The builds of the stage: the one the processor picks, and the portable one (RETAKE_PIXEL_STAGE_SIMD). */
const BUILDS = ['native', 'portable'] as const;
function withBuild<T>(build: (typeof BUILDS)[number], run: () => T): T {
  const before = process.env.RETAKE_PIXEL_STAGE_SIMD;
  if (build === 'portable') process.env.RETAKE_PIXEL_STAGE_SIMD = 'portable';
  try {
    return run();
  } finally {
    if (before === undefined) delete process.env.RETAKE_PIXEL_STAGE_SIMD;
    else process.env.RETAKE_PIXEL_STAGE_SIMD = before;
  }
}

it('is built and in use', () => {
  expect(pixelStageProblem()).toBeUndefined();
});

for (const [clip, clipPairs] of byClip) {
  describe(`the compiled and reference paths on ${clip}`, () => {
    const { native, clipPath } = clipPairs[0]!;
    const output = outputSize(native.width, native.height, 540);
    const work = workSize({ ...output, fps: native.fps, duration: 5, sourceWidth: native.width, sourceHeight: native.height });
    const [later] = frameIndexes(native.fps, [2]);
    const frames = sourceFrames(clipPath, native.fps, work.width, work.height, [0, later!]);

    for (const pair of clipPairs) {
      it(`map ${pair.effectName} to the same frames within one code value`, async () => {
        const source = await frames;
        const { image } = await restylePair({ ...pair, indexes: [0], work, dir: root, name: `${pair.set}-${clip}-${pair.effectName}` });
        const model = fitGuidedModel(source.get(0)!, image);
        const frame: RgbFrame = source.get(later!)!;
        for (const strength of [1, 0.5, 1.4]) {
          const reference = applyGuidedModelReference(model, frame, strength);
          for (const build of BUILDS) {
            const compiled = withBuild(build, () => applyGuidedModel(model, frame, strength));
            const { max, differing } = difference(compiled, reference);
            expect(max, `${build} build, strength ${strength}: ${differing} values differ`).toBeLessThanOrEqual(1);
            // A difference of one code value comes only from rounding, so it is rare.
            expect(differing).toBeLessThan(compiled.length / 1000);
          }
        }
        // The prediction before the blend, as keyframe blending reads it, is the same one.
        const predicted = predictWithPixelStage(model, frame)!;
        const blended = applyGuidedModel(model, frame, 1);
        let far = 0;
        for (let i = 0; i < predicted.length; i++) if (Math.abs(Math.round(predicted[i]! * 255) - blended[i]!) > 0) far++;
        expect(far).toBe(0);
      }, scaled(120_000));
    }
  });
}
