import { describe, expect, it } from 'vitest';
import type { VideoRequest } from '../../models/request.ts';
import type { MediaFacts } from './probe.ts';
import { promptToLook } from './prompt-to-look.ts';
import { outputFps, outputSize, planRender, type IntensitySegment } from './render-plan.ts';
import { lookIntensity, strengthIntensity } from './strength.ts';
import { EDIT_STRENGTHS } from '../../models/request.ts';

const flower: MediaFacts = {
  width: 960, height: 540, rotation: 0, fps: 30000 / 1001, fpsRational: '30000/1001', duration: 5.055,
  hasAudio: true, audioChannels: 2, pixFmt: 'yuv420p', codec: 'h264', isStill: false, colorTransfer: undefined,
};
const request: VideoRequest = { prompt: 'film noir', input_video: 'https://x/v.mp4', resolution: '540p', duration: '5s', hdr: false, exr_export: false };

function plan(overrides: Partial<VideoRequest> = {}, source: Partial<MediaFacts> = {}, imagePath?: string, segments?: IntensitySegment[]) {
  const req = { ...request, ...overrides };
  return planRender({ source: { ...flower, ...source }, sourcePath: 'in.mp4', imagePath, request: req, look: promptToLook(req.prompt), outputPath: 'out.mp4', segments });
}
const arg = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('outputSize', () => {
  it('makes the short side the resolution and keeps the aspect with even sides', () => {
    expect(outputSize(960, 540, 720)).toEqual({ width: 1280, height: 720 });
    expect(outputSize(720, 1080, 540)).toEqual({ width: 540, height: 810 });
    expect(outputSize(720, 480, 1080)).toEqual({ width: 1620, height: 1080 });
    const odd = outputSize(1000, 333, 540);
    expect(odd.height).toBe(540);
    expect(odd.width % 2).toBe(0);
    expect(odd.width / odd.height).toBeCloseTo(1000 / 333, 2);
  });
});

describe('outputFps', () => {
  it('keeps the source rate up to 30 and caps faster sources', () => {
    expect(outputFps({ fps: 30000 / 1001, fpsRational: '30000/1001' })).toBe('30000/1001');
    expect(outputFps({ fps: 25, fpsRational: '25/1' })).toBe('25/1');
    expect(outputFps({ fps: 60, fpsRational: '60/1' })).toBe('30');
    expect(outputFps({ fps: undefined, fpsRational: undefined })).toBe('30');
  });
});

describe('planRender', () => {
  it('trims to the requested duration and encodes H.264 yuv420p with faststart', () => {
    const p = plan({ duration: '5s' }, { duration: 12 });
    expect(p.duration).toBe(5);
    expect(arg(p.args, '-t')).toBe('5.000');
    expect(arg(p.args, '-c:v')).toBe('libx264');
    expect(arg(p.args, '-pix_fmt')).toBe('yuv420p');
    expect(arg(p.args, '-movflags')).toBe('+faststart');
    expect(p.args.at(-1)).toBe('out.mp4');
    expect(p.warnings).toEqual([]);
  });

  it('uses the source length, with a warning, when the source is shorter', () => {
    const p = plan({ duration: '10s' }, { duration: 2.022 });
    expect(p.duration).toBe(2.022);
    expect(p.warnings.join()).toMatch(/2\.0 s, shorter than 10s/);
  });

  it('keeps audio as AAC only when the source has it', () => {
    expect(arg(plan().args, '-c:a')).toBe('aac');
    expect(plan({}, { hasAudio: false }).args).not.toContain('-c:a');
    expect(plan().args).not.toContain('-ac');
    expect(arg(plan({}, { audioChannels: 6 }).args, '-ac')).toBe('2');
  });

  it('scales a portrait source to a portrait output', () => {
    const p = plan({ resolution: '720p' }, { width: 540, height: 960, rotation: 90 });
    expect([p.width, p.height]).toEqual([720, 1280]);
    expect(arg(p.args, '-filter_complex')).toContain('scale=720:1280');
  });

  it('puts the cover-fitted image first and keeps the total length', () => {
    const p = plan({}, {}, 'image.jpg');
    const graph = arg(p.args, '-filter_complex') ?? '';
    expect(p.args.filter((a) => a === '-i')).toHaveLength(2);
    expect(graph).toContain('force_original_aspect_ratio=increase');
    expect(graph).toContain('crop=960:540');
    expect(graph).toMatch(/\[first\]\[rest\]concat=n=2/);
    expect(p.args[p.args.lastIndexOf('-t') + 1]).toBe('5.000');
  });

  it('chooses filters from the look', () => {
    expect(arg(plan({ prompt: 'black and white' }).args, '-filter_complex')).toContain('hue=s=0');
    expect(arg(plan({ prompt: 'sepia' }).args, '-filter_complex')).toContain('colorchannelmixer');
    expect(plan({ prompt: 'cartoon' }).marks).toMatchObject({ kernel: 'cartoon' });
    expect(arg(plan({ prompt: 'warm' }).args, '-filter_complex')).toMatch(/lutrgb=r='clip\(val\+[\d.]+\*/);
  });

  it('renders each segment of a schedule on its own frame range and joins them', () => {
    const segments = [{ start: 0, end: 1, intensity: 0.3 }, { start: 1, end: 5, intensity: 0.7 }];
    const graph = arg(plan({ prompt: 'sepia' }, {}, undefined, segments).args, '-filter_complex') ?? '';
    expect(graph).toContain('split=2');
    expect(graph).toContain('trim=start_frame=0:end_frame=30');
    expect(graph).toContain('trim=start_frame=30,');
    expect(graph).toContain('concat=n=2:v=1:a=0');
  });
});

describe('edit_strength', () => {
  it('grows strictly across the nine levels, with flex_2 as the default', () => {
    const levels = EDIT_STRENGTHS.map((s) => strengthIntensity(s));
    for (let i = 1; i < levels.length; i++) expect(levels[i]).toBeGreaterThan(levels[i - 1] ?? Infinity);
    expect(strengthIntensity()).toBe(strengthIntensity('flex_2'));
    expect(lookIntensity('reimagine_3', ['vivid'])).toBeGreaterThan(lookIntensity('reimagine_2', ['vivid']));
    expect(lookIntensity('flex_2', ['subtle'])).toBeLessThan(lookIntensity('flex_2', []));
  });

  it('changes the filter parameters of the plan', () => {
    const graph = (s: (typeof EDIT_STRENGTHS)[number]) => arg(plan({ prompt: 'sepia', edit_strength: s }).args, '-filter_complex');
    expect(graph('adhere_1')).not.toBe(graph('reimagine_3'));
    expect(plan({ edit_strength: 'adhere_1' }).intensity).toBeLessThan(plan({ edit_strength: 'reimagine_3' }).intensity);
  });
});

describe('planRender with a marks step', () => {
  it('cuts the render into decoder | marks kernel | encoder, the encoder taking audio and cover image from the later inputs', () => {
    const marked = plan({ prompt: 'pencil sketch' }, {}, 'cover.png');
    expect(marked.marks).toMatchObject({ kernel: 'drawing', width: 960, height: 540 });
    const decoder = marked.marks!.decoder;
    expect(arg(decoder, '-f')).toBe('rawvideo');
    expect(arg(decoder, '-pix_fmt')).toBe('rgb24');
    expect(decoder.at(-1)).toBe('pipe:1');
    expect(arg(decoder, '-filter_complex')).toMatch(/format=rgb24\[v\]$/);
    expect(arg(marked.args, '-i')).toBe('pipe:0');
    expect(arg(marked.args, '-s')).toBe('960x540');
    expect(marked.args.join(' ')).toContain('-map 1:a:0');
    expect(arg(marked.args, '-filter_complex')).toContain('[2:v]scale=');
    // A look of filters only stays one FFmpeg run.
    expect(plan().marks).toBeUndefined();
  });

  it('gives the kernel each intensity segment\'s parameters from its first frame', () => {
    const segments = [{ start: 0, end: 2, intensity: 0.3 }, { start: 2, end: 5.055, intensity: 1 }];
    const marked = plan({ prompt: 'pencil sketch' }, {}, undefined, segments);
    const schedule = marked.marks!.schedule;
    expect(schedule.map((s) => s.from)).toEqual([0, 60]);
    expect(schedule[0]!.params[0]).toBeLessThan(schedule[1]!.params[0]!);
  });
});
