/**
 * A real `retake serve` for the scripts that show the looks (the gallery, the blind
 * panel): clips are uploaded and rendered through the hub's sync call, so a frame is
 * what a user gets, every stage of the engine included (the shot's tone, the marks).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { startServerProcess } from '../../test/support/server-process.ts';

const run = promisify(execFile);
const KEY = 'rtk_look_renders_0123456789abcdef';

export interface RenderServer {
  /** Upload a clip; answers its URL. */
  upload(path: string): Promise<string>;
  /** Render `prompt` on an uploaded clip at 540p; answers the output video's URL. */
  render(url: string, prompt: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startRenderServer(dataDir: string): Promise<RenderServer> {
  const server = await startServerProcess({ RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY, RETAKE_ALLOW_PRIVATE_URLS: '1' });
  const auth = { authorization: `Bearer ${KEY}` };
  return {
    async upload(path) {
      const form = new FormData();
      form.append('file', new Blob([await readFile(path)], { type: 'video/mp4' }), basename(path));
      const res = await fetch(`${server.baseUrl}/api/files`, { method: 'POST', headers: auth, body: form });
      if (!res.ok) throw new Error(`upload of ${path}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { url: string }).url;
    },
    async render(url, prompt) {
      const res = await fetch(`${server.baseUrl}/api/ai/videos/generate`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'retake-local', prompt, input_video: url, resolution: '540p', duration: '5s' }),
      });
      if (!res.ok) throw new Error(`render "${prompt}": ${res.status} ${await res.text()}`);
      return ((await res.json()) as { videos: { url: string }[] }).videos[0]!.url;
    },
    stop: () => server.stop(),
  };
}

/** One frame of a video (a path or a URL) at `at` seconds, as an image file (PNG or JPEG by its name). */
export async function frameAt(video: string, at: number, out: string, filter?: string): Promise<void> {
  await run('ffmpeg', ['-v', 'error', '-y', '-ss', String(at), '-i', video, '-frames:v', '1', ...(filter ? ['-vf', filter] : []), out]);
}
