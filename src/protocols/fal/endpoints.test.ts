import { describe, expect, it } from 'vitest';
import { appOf, endpointOf, falProblems, modelOfEndpoint, toRetakeInput } from './endpoints.ts';
import { mountedPath } from './proxy.ts';
import { signUpload, verifyUpload } from './upload-token.ts';

describe('fal endpoint ids and field names', () => {
  it('maps fal\'s id of the hosted model and retake/<id> to retake models, and back', () => {
    expect(modelOfEndpoint('luma/agent/ray/v3.2/video-to-video').id).toBe('luma-ray-v3-2-video-to-video');
    expect(modelOfEndpoint('retake/retake-local').id).toBe('retake-local');
    expect(() => modelOfEndpoint('someone/else')).toThrow(/Model not found: someone\/else/);
    expect(endpointOf('luma-ray-v3-2-video-to-video')).toBe('luma/agent/ray/v3.2/video-to-video');
    expect(appOf(endpointOf('luma-ray-v3-2-video-to-video'))).toBe('luma/agent');
  });

  it('renames video_url / start_image_url and reports problems in fal\'s names', () => {
    expect(toRetakeInput({ prompt: 'p', video_url: 'v', start_image_url: 'i', hdr: true })).toEqual({ prompt: 'p', input_video: 'v', input_image: 'i', hdr: true });
    expect(falProblems([{ field: 'input_video', message: 'input_video is required' }])).toEqual([{ field: 'video_url', message: 'video_url is required' }]);
  });

  it('mounts only fal\'s three hosts for the proxy', () => {
    expect(mountedPath('https://queue.fal.run/retake/retake-local?x=1')).toBe('/fal/queue/retake/retake-local?x=1');
    expect(mountedPath('https://rest.fal.ai/storage/upload/initiate')).toBe('/fal/rest/storage/upload/initiate');
    expect(mountedPath('https://evil.example/x')).toBeUndefined();
    expect(mountedPath('http://fal.run/x')).toBeUndefined();
  });
});

describe('signed upload URLs', () => {
  const grant = { id: 'u1', key: 'uploads/u1/a.mp4', keyId: 'k', exp: 2_000 };

  it('accept their own upload until they expire, and nothing forged', () => {
    const token = signUpload('s', grant);
    expect(verifyUpload('s', token, 'u1', 1_000)).toEqual(grant);
    expect(() => verifyUpload('s', token, 'u1', 3_000)).toThrow(/expired/);
    expect(() => verifyUpload('s', token, 'u2', 1_000)).toThrow(/invalid/);
    expect(() => verifyUpload('other', token, 'u1', 1_000)).toThrow(/invalid/);
    const forged = `${Buffer.from(JSON.stringify({ ...grant, key: 'uploads/x/y' })).toString('base64url')}.${token.split('.')[1]}`;
    expect(() => verifyUpload('s', forged, 'u1', 1_000)).toThrow(/invalid/);
  });
});
