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
