import { describe, expect, it } from 'vitest';
import type { VideoRequest } from '../../models/request.ts';
import { dynamicRangeOf, hdrToSdrFilter } from './hdr.ts';
import type { MediaFacts } from './probe.ts';
import { promptToLook } from './prompt-to-look.ts';
import { EXR_MAX_FRAMES, planRender } from './render-plan.ts';

const source: MediaFacts = {
  width: 1920, height: 1080, rotation: 0, fps: 30, fpsRational: '30/1', duration: 8,
  hasAudio: false, audioChannels: 0, pixFmt: 'yuv420p', codec: 'h264', isStill: false, colorTransfer: undefined,
};
const request: VideoRequest = { prompt: 'sepia', input_video: 'https://x/v.mp4', resolution: '720p', duration: '10s', hdr: true, exr_export: false };

function plan(overrides: Partial<VideoRequest> = {}, facts: Partial<MediaFacts> = {}, exrPattern?: string) {
  const req = { ...request, ...overrides };
  return planRender({ source: { ...source, ...facts }, sourcePath: 'in.mp4', request: req, look: promptToLook(req.prompt), outputPath: 'out.mp4', exrPattern });
}
const arg = (args: string[], flag: string, from = 0): string | undefined => args[args.indexOf(flag, from) + 1];

describe('HDR render plans', () => {
  it('encodes HDR10: HEVC Main10, hvc1, BT.2020/PQ tags and static metadata', () => {
    const { args, hdr, exrFrames } = plan();
    expect([hdr, exrFrames]).toEqual([true, 0]);
    expect(arg(args, '-c:v')).toBe('libx265');
    expect(arg(args, '-pix_fmt')).toBe('yuv420p10le');
    expect(arg(args, '-tag:v')).toBe('hvc1');
    expect(arg(args, '-color_trc')).toBe('smpte2084');
    expect(arg(args, '-x265-params')).toMatch(/hdr10=1.*master-display=G\(.*max-cll=203,203/);
    expect(arg(args, '-filter_complex')).toMatch(/t=smpte2084:m=bt2020nc:p=bt2020:r=tv:npl=203,format=yuv420p10le\[vout\]$/);
  });

  it('stays H.264 SDR without hdr, and tone-maps an HDR source before the look', () => {
    const sdr = plan({ hdr: false }, { colorTransfer: 'smpte2084', peakNits: 4000 });
    expect(arg(sdr.args, '-c:v')).toBe('libx264');
    const graph = arg(sdr.args, '-filter_complex') ?? '';
    expect(graph).toMatch(/setpts=PTS-STARTPTS,zscale=tin=smpte2084.*tonemap=tonemap=mobius.*peak=19\.704.*format=yuv420p\[pre\]/);
    expect(graph).not.toContain('npl=203,format=yuv420p10le');
  });

  it('splits the graded picture into the MP4 and at most EXR_MAX_FRAMES half-float frames', () => {
    const { args, exrFrames, warnings } = plan({ exr_export: true }, {}, 'frames/frame_%05d.exr');
    expect(exrFrames).toBe(EXR_MAX_FRAMES);
    expect(warnings.join()).toMatch(/EXR sidecar holds the first 150 frames \(5\.0 s\) of the 240-frame output/);
    expect(arg(args, '-filter_complex')).toMatch(/\[v\]split\[vh\]\[vx\].*colorchannelmixer=rr=0\.4396/);
    const exrAt = args.indexOf('[xout]');
    expect(arg(args, '-c:v', exrAt)).toBe('exr');
    expect(arg(args, '-format', exrAt)).toBe('half');
    expect(arg(args, '-frames:v', exrAt)).toBe('150');
    expect(args.at(-1)).toBe('frames/frame_%05d.exr');
    expect(plan({ exr_export: true, duration: '5s' }, { duration: 3 }, 'f/%05d.exr').exrFrames).toBe(90);
  });
});

describe('dynamicRangeOf / hdrToSdrFilter', () => {
  it('recognises PQ and HLG and leaves SDR alone', () => {
    expect(dynamicRangeOf({ colorTransfer: 'smpte2084' })).toBe('pq');
    expect(dynamicRangeOf({ colorTransfer: 'arib-std-b67' })).toBe('hlg');
    expect(dynamicRangeOf({ colorTransfer: 'bt709' })).toBe('sdr');
    expect(hdrToSdrFilter({ colorTransfer: undefined })).toBeUndefined();
    expect(hdrToSdrFilter({ colorTransfer: 'arib-std-b67', colorRange: 'pc' })).toMatch(/tin=arib-std-b67:min=bt2020nc:pin=bt2020:rin=full.*peak=4\.926/);
    // Without light-level metadata a PQ source is taken to peak at 1000 cd/m².
    expect(hdrToSdrFilter({ colorTransfer: 'smpte2084' })).toMatch(/peak=4\.926/);
  });
});
