/**
 * What the stand-in ComfyUI "computes" for an output node: FFmpeg over the control video
 * `WanVaceToVideo` is given (the file of the `LoadVideo` its `control_video` link leads
 * to) at the graph's size (`width`/`height`), frame count (`length`) and frame rate
 * (`CreateVideo.fps`, or `VHS_VideoCombine.frame_rate`), in grey so a test can tell it
 * from the source. With `control_masks` linked (through `ImageToMask` and
 * `GetVideoComponents` to a `LoadVideo`), it keeps VACE's promise: a frame the mask
 * leaves black is the control frame itself, in colour; white is generated (grey here);
 * past the mask's end, frames are generated, as VACE pads a short mask with ones. The
 * output is listed the way the real node lists it (`images` + `animated` for core
 * `SaveVideo`, `gifs` for VideoHelperSuite).
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Graph } from './validate-graph.ts';

export interface RenderArgs {
  graph: Graph;
  node: string;
  inputDir: string;
  outputDir: string;
  /** The server's output counter, for ComfyUI's file names. */
  counter: number;
  signal: AbortSignal;
}

export async function renderOutput(args: RenderArgs): Promise<Record<string, unknown>> {
  const { graph, node } = args;
  const find = (type: string) => Object.values(graph).find((n) => n.class_type === type)?.inputs ?? {};
  const wan = find('WanVaceToVideo');
  const video = loadedFile(graph, wan.control_video) ?? (find('LoadVideo').file as string);
  const mask = loadedFile(graph, wan.control_masks);
  const combine = graph[node]!;
  const vhs = combine.class_type === 'VHS_VideoCombine';
  const fps = Number(vhs ? combine.inputs.frame_rate : find('CreateVideo').fps ?? 16);
  const counter = String(args.counter).padStart(5, '0');
  const subfolder = vhs ? '' : 'video';
  const filename = vhs ? `${combine.inputs.filename_prefix as string}_${counter}.mp4` : `ComfyUI_${counter}_.mp4`;
  await mkdir(join(args.outputDir, subfolder), { recursive: true });
  const size = `scale=${Number(wan.width ?? 320)}:${Number(wan.height ?? 240)}`;
  const inputs = ['-i', join(args.inputDir, video)];
  let graphArgs = ['-vf', [`fps=${fps}`, size, 'hue=s=0'].join(',')];
  if (mask) {
    inputs.push('-i', join(args.inputDir, mask));
    // maskedmerge: 0 in the mask keeps the first input (the control frame), 255 takes the second (grey).
    graphArgs = ['-filter_complex', [
      `[0:v]fps=${fps},${size},split[c0][g0]`, '[c0]format=gbrp[c]', '[g0]hue=s=0,format=gbrp[g]',
      `[1:v]fps=${fps},${size},tpad=stop=-1:color=white,format=gbrp[m]`, '[c][g][m]maskedmerge,format=yuv420p[v]',
    ].join(';'), '-map', '[v]'];
  }
  await ffmpeg(['-y', ...inputs, ...graphArgs, '-frames:v', String(Number(wan.length ?? 16)),
    '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(args.outputDir, subfolder, filename)], args.signal);
  const file = { filename, subfolder, type: 'output' };
  return vhs ? { gifs: [{ ...file, format: 'video/h264-mp4', frame_rate: fps }] } : { images: [file], animated: [true] };
}

/** The `LoadVideo` file a link leads back to, through nodes that pass frames on (`GetVideoComponents`, `ImageToMask`). */
function loadedFile(graph: Graph, link: unknown): string | undefined {
  if (!Array.isArray(link)) return undefined;
  const source = graph[String(link[0])];
  if (source?.class_type === 'LoadVideo') return source.inputs.file as string;
  if (source?.class_type === 'GetVideoComponents') return loadedFile(graph, source.inputs.video);
  if (source?.class_type === 'ImageToMask') return loadedFile(graph, source.inputs.image);
  return undefined;
}

function ffmpeg(args: string[], signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-v', 'error', ...args], { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg failed: ${err}`))));
  });
}
