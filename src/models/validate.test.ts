import { describe, expect, it } from 'vitest';
import { parseVideoRequest, requestProblems } from './validate.ts';
import { RetakeError } from '../errors/index.ts';

const ok = { prompt: 'watercolor, warm', input_video: 'https://example.com/clip.mp4' };

describe('request validation', () => {
  it('applies the documented defaults', () => {
    expect(parseVideoRequest(ok)).toMatchObject({ resolution: '540p', duration: '5s', hdr: false, exr_export: false });
  });

  it('lists every problem with its field at once', () => {
    const fields = requestProblems({ prompt: '', input_video: 'not a url', resolution: '4k', extra: 1 }).map((p) => p.field);
    expect(fields.sort()).toEqual(['extra', 'input_video', 'prompt', 'resolution']);
  });

  it.each([
    [{ ...ok, auto_controls: true, edit_strength: 'flex_1' }, 'edit_strength', /auto_controls/],
    [{ ...ok, hdr: true }, 'resolution', /720p or 1080p/],
    [{ ...ok, hdr: true, resolution: '540p' }, 'resolution', /720p or 1080p/],
    [{ ...ok, exr_export: true, resolution: '720p' }, 'exr_export', /needs hdr/],
  ])('enforces cross-field rule %#', (body, field, message) => {
    const problems = requestProblems(body);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.field).toBe(field);
    expect(problems[0]!.message).toMatch(message);
  });

  it('accepts the combinations the rules allow', () => {
    expect(requestProblems({ ...ok, hdr: true, exr_export: true, resolution: '1080p', edit_strength: 'reimagine_3' })).toEqual([]);
    expect(requestProblems({ ...ok, auto_controls: false, edit_strength: 'adhere_1' })).toEqual([]);
  });

  it('says a non-object body is not an object, nothing else', () => {
    for (const body of [null, [], 'x', 3]) expect(requestProblems(body)).toEqual([{ field: '', message: 'body must be a JSON object' }]);
  });

  it('throws a 422 validation_error carrying the fields', () => {
    try {
      parseVideoRequest({ prompt: 'x'.repeat(2001), input_video: ok.input_video });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(RetakeError);
      expect((err as RetakeError).status).toBe(422);
      expect((err as RetakeError).fields?.[0]?.field).toBe('prompt');
    }
  });
});

describe('keyframes and controls', () => {
  const image = 'https://example.com/restyled.png';
  const codeOf = (body: unknown): string => {
    try {
      parseVideoRequest(body);
      return 'ok';
    } catch (err) {
      return (err as RetakeError).code;
    }
  };

  it('keeps 1 to 64 keyframes, each an image and a frame, in the order given', () => {
    const keyframes = Array.from({ length: 64 }, (_, i) => ({ image, frame: 63 - i }));
    expect(parseVideoRequest({ ...ok, keyframes }).keyframes).toEqual(keyframes);
    expect(parseVideoRequest({ ...ok, keyframes: [{ image, frame: 0 }] }).keyframes).toEqual([{ image, frame: 0 }]);
    expect(parseVideoRequest(ok)).not.toHaveProperty('keyframes');
  });

  it.each([
    [[], /keyframes must list 1 to 64 entries/],
    [Array.from({ length: 65 }, (_, i) => ({ image, frame: i })), /keyframes must list 1 to 64 entries/],
    [[{ image, frame: -1 }], /keyframes\[0\]\.frame must be at least 0/],
    [[{ image, frame: 1.5 }], /keyframes\[0\]\.frame must be an integer/],
    [[{ image }], /keyframes\[0\]\.frame is required/],
    [[{ image, frame: 2, time: 3 }], /keyframes\[0\] has an unknown field time/],
    [[{ image: 'restyled.png', frame: 2 }], /keyframes\[0\]\.image must be a URL/],
    [{ image, frame: 2 }, /keyframes must be an array/],
  ])('refuses an unknown shape with invalid_keyframes: %#', (keyframes, message) => {
    const problems = requestProblems({ ...ok, keyframes });
    expect(problems.map((p) => p.field)).toEqual(['keyframes']);
    expect(problems[0]!.message).toMatch(message);
    expect(codeOf({ ...ok, keyframes })).toBe('invalid_keyframes');
  });

  it('refuses two keyframes at one frame with duplicate_keyframe_frames, naming both', () => {
    const body = { ...ok, keyframes: [{ image, frame: 0 }, { image, frame: 30 }, { image, frame: 30 }] };
    expect(requestProblems(body)).toEqual([{ field: 'keyframes', code: 'duplicate_keyframe_frames', message: expect.stringMatching(/keyframes\[2\] and keyframes\[1\] are both at frame 30/) as string }]);
    expect(codeOf(body)).toBe('duplicate_keyframe_frames');
  });

  it('refuses keyframes beside input_image (a cross-field rule of the schema), and mixed problems as validation_error', () => {
    const both = { ...ok, input_image: image, keyframes: [{ image, frame: 5 }] };
    expect(requestProblems(both)).toEqual([{ field: 'keyframes', code: 'invalid_keyframes', message: expect.stringMatching(/cannot be combined with input_image/) as string }]);
    expect(codeOf(both)).toBe('invalid_keyframes');
    expect(codeOf({ ...both, resolution: '4k' })).toBe('validation_error');
  });

  it('takes controls with the five signals and their fields, and refuses anything else', () => {
    const controls = { depth: { enabled: true, blur: 0.3 }, face: { enabled: false }, normals: { augmentation: 1 }, pose: { strength: 'precise' }, trajectory: { sparsity: 0 } };
    expect(parseVideoRequest({ ...ok, controls }).controls).toEqual(controls);
    expect(requestProblems({ ...ok, controls: { depth: { blur: 1.5 } } })[0]!.message).toMatch(/controls\.depth\.blur must be at most 1/);
    expect(requestProblems({ ...ok, controls: { pose: { strength: 'strong' } } })[0]!.message).toMatch(/precise, coarse/);
    expect(requestProblems({ ...ok, controls: { canny: { enabled: true } } })[0]!.message).toMatch(/controls has an unknown field canny/);
    expect(codeOf({ ...ok, controls: {} })).toBe('validation_error');
  });
});
