/**
 * What the stand-in ComfyUI "computes" for an output node: FFmpeg over the uploaded video
 * at the graph's size (`WanVaceToVideo` width/height), frame count (`length`) and frame
 * rate (`CreateVideo.fps`, or `VHS_VideoCombine.frame_rate`), in grey so a test can tell
 * it from the source; listed the way the real node lists it (`images` + `animated` for
 * core `SaveVideo`, `gifs` for VideoHelperSuite).
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
  const video = find('LoadVideo').file as string;
  const wan = find('WanVaceToVideo');
  const combine = graph[node]!;
  const vhs = combine.class_type === 'VHS_VideoCombine';
  const fps = Number(vhs ? combine.inputs.frame_rate : find('CreateVideo').fps ?? 16);
  const counter = String(args.counter).padStart(5, '0');
  const subfolder = vhs ? '' : 'video';
  const filename = vhs ? `${combine.inputs.filename_prefix as string}_${counter}.mp4` : `ComfyUI_${counter}_.mp4`;
  await mkdir(join(args.outputDir, subfolder), { recursive: true });
  const filters = [`fps=${fps}`, `scale=${Number(wan.width ?? 320)}:${Number(wan.height ?? 240)}`, 'hue=s=0'];
  await ffmpeg(['-y', '-i', join(args.inputDir, video), '-vf', filters.join(','), '-frames:v', String(Number(wan.length ?? 16)),
    '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', join(args.outputDir, subfolder, filename)], args.signal);
  const file = { filename, subfolder, type: 'output' };
  return vhs ? { gifs: [{ ...file, format: 'video/h264-mp4', frame_rate: fps }] } : { images: [file], animated: [true] };
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
