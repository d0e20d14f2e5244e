import { describe, expect, it } from 'vitest';
import { guideFrames, withFirstFrameAsImage } from './guide-frames.ts';
import type { VideoRequest } from './request.ts';

const base: VideoRequest = { prompt: 'p', input_video: 'https://example.com/a.mp4', resolution: '540p', duration: '5s', hdr: false, exr_export: false };
const image = 'https://example.com/k.png';

describe('guide frames', () => {
  it('reads input_image and one keyframe at frame 0 as the same first-frame guide', () => {
    expect(guideFrames({ ...base, input_image: image })).toEqual({ kind: 'first_frame', image });
    expect(guideFrames({ ...base, keyframes: [{ image, frame: 0 }] })).toEqual({ kind: 'first_frame', image });
    expect(withFirstFrameAsImage({ ...base, keyframes: [{ image, frame: 0 }] })).toEqual({ ...base, input_image: image });
  });

  it('leaves one keyframe elsewhere, and several, as keyframes', () => {
    const one = { ...base, keyframes: [{ image, frame: 12 }] };
    expect(guideFrames(one)).toEqual({ kind: 'keyframes', keyframes: one.keyframes });
    expect(withFirstFrameAsImage(one)).toBe(one);
    const two = { ...base, keyframes: [{ image, frame: 0 }, { image, frame: 40 }] };
    expect(guideFrames(two).kind).toBe('keyframes');
    expect(guideFrames(base)).toEqual({ kind: 'none' });
  });
});
