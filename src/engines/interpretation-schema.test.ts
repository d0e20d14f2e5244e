import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Estimate, Generation } from '../client/types.ts';
import { engineInterpretationSchema, estimateInterpretationSchema } from './interpretation-schema.ts';
import { imageLookInterpretation, lookInterpretation } from './local/interpretation.ts';
import { promptToLook } from './local/prompt-to-look.ts';
import type { KnownInterpretation } from './index.ts';
import type { EstimateInterpretation } from './local/interpretation.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const record = ajv.compile<KnownInterpretation>(engineInterpretationSchema);
const estimate = ajv.compile<EstimateInterpretation>(estimateInterpretationSchema);

const PROMPTS = ['film noir', 'a warm watercolor, soft and grainy', 'teal and orange pop art', 'in the style of van gogh at golden hour', 'nothing in particular'];

describe('the interpretation schema', () => {
  it("accepts retake-local's estimate for any prompt", () => {
    for (const prompt of PROMPTS) {
      const value: EstimateInterpretation = { ...lookInterpretation(promptToLook(prompt)), edit_strength: 'flex_2', intensity: 1 };
      expect(estimate(value), JSON.stringify(estimate.errors)).toBe(true);
    }
  });

  it('accepts a render record, with and without its optional parts', () => {
    const base: KnownInterpretation = {
      ...lookInterpretation(promptToLook('film noir')),
      edit_strength: 'auto', intensity: 0.8, first_frame_image: false,
      output: { width: 960, height: 540, fps: 29.97, duration_s: 5, audio: true },
      dynamic_range: { source: 'sdr', output: 'sdr' },
    };
    expect(record(base), JSON.stringify(record.errors)).toBe(true);
    const full: KnownInterpretation = {
      ...base,
      schedule: { cuts_s: [2.5], segments: [{ start_s: 0, end_s: 2.5, edit_strength: 'adhere_1', motion: 3.2, after_cut: false }] },
      colour_transfer: { maps: [[1.1, -0.02], [1, 0], [0.9, 0.03]], tone_only: false },
      mode: 'guided',
      guided: {
        mode: 'guided', method: 'ridge', keyframe_fit: { ssim: 0.93, delta_e: 2.1 }, image_change: { ssim: 0.6, delta_e: 14 },
        alignment: { score: 0.8, aligned: true, scale: 1, shift: [0, 0] }, work_size: { width: 480, height: 270 }, strength: 1, combination: 'the image decides',
        parts: {
          tone: { carried: true, strength: 0.7 },
          canvas: { carried: true, strength: 0.6, border: [12, 12, 12, 12], shading: true, rms_before: 30, rms_after: 12 },
          picture_marks: { carried: false, strength: 0, te_before: 0.3, te_after: 0.3 },
          not_reproduced: [],
        },
      },
      dynamic_range: { source: 'pq', output: 'hdr10', sdr_white_nits: 203, max_cll: 1000, max_fall: 400 },
      exr: { frames: 150, pixel: 'half', colour_space: 'ACES2065-1 (AP0), scene-linear' },
    };
    expect(record(full), JSON.stringify(record.errors)).toBe(true);
    // Guided mode: the image decided the look, the prompt's reading is kept aside.
    const guided: KnownInterpretation = { ...full, ...imageLookInterpretation(promptToLook('charcoal')) };
    expect(record(guided), JSON.stringify(record.errors)).toBe(true);
    expect(record({ ...guided, decided_by: 'telepathy' })).toBe(false);
    // The parts of a restyle: each strength is a share, the border has four sides.
    const parts = full.guided!.parts!;
    expect(record({ ...full, guided: { ...full.guided, parts: { ...parts, canvas: { ...parts.canvas, strength: 1.5 } } } })).toBe(false);
    expect(record({ ...full, guided: { ...full.guided, parts: { ...parts, canvas: { ...parts.canvas, border: [12, 12] } } } })).toBe(false);
  });

  it("accepts a hosted engine's record and refuses what no engine writes", () => {
    expect(record({ engine: 'fal', provider_request_id: 'req-1' })).toBe(true);
    expect(record({ engine: 'luma', provider_request_id: 'gen-1' })).toBe(true);
    expect(record({ engine: 'replicate', provider_request_id: 'x' })).toBe(false);
    const { used_words: _dropped, ...withoutWords } = lookInterpretation(promptToLook('noir'));
    expect(estimate({ ...withoutWords, edit_strength: 'flex_2', intensity: 1 })).toBe(false);
    expect(estimate({ ...lookInterpretation(promptToLook('noir')), edit_strength: 'flex_9', intensity: 1 })).toBe(false);
  });

  it("describes what the engines write, so the typed client's types take it (checked by the type checker)", () => {
    expectTypeOf<KnownInterpretation>().toMatchTypeOf<NonNullable<Generation['interpretation']>>();
    expectTypeOf<EstimateInterpretation>().toMatchTypeOf<NonNullable<Estimate['interpretation']>>();
  });
});
