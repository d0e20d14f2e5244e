/**
 * FFmpeg dies with its server. Before the fix, FFmpeg ran in its own process group with
 * nothing tying it to the server's life: after a SIGKILL mid-render most children
 * went on (one for 121 s, beside the re-run of its own job). A render's FFmpeg soon
 * fails writing progress to its dead parent, but the analysis FFmpeg (auto_controls,
 * input_image) writes only to a file and ran to its end; this test found it still
 * running 1 s after the kill. Now the kernel kills every child with its parent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMediaServer, type MediaServer } from './support/media-server.ts';
import { apiCaller, eventually, processesMentioning, startServerProcess, type ServerProcess } from './support/server-process.ts';
import { scaled } from './support/deadline.ts';

const KEY = 'rtk_parent_death_test_key_00000000000000';
let media: MediaServer;
let dataDir: string;
let server: ServerProcess | undefined;
const api = apiCaller(() => server, KEY);


beforeAll(async () => {
  media = await startMediaServer();
  dataDir = await mkdtemp(join(tmpdir(), 'retake-pdeath-'));
});
afterAll(async () => {
  await server?.stop();
  await media.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('SIGKILL mid-render', () => {
  it('leaves no FFmpeg running 1 s later, whatever stage it was in', async () => {
    server = await startServerProcess({
      RETAKE_DATA_DIR: dataDir, RETAKE_BOOTSTRAP_KEY: KEY, RETAKE_ALLOW_PRIVATE_URLS: '1', RETAKE_CONCURRENCY: '2',
    });
    const submit = async (extra: Record<string, unknown>): Promise<string> => (await api('/api/ai/queue', {
      method: 'POST',
      body: JSON.stringify({ model: 'retake-local', prompt: 'oil painting', input_video: media.url('rabbit.mp4'), resolution: '1080p', duration: '10s', ...extra }),
    })).generations[0].generation_id;
    // One job analysing its source (an FFmpeg that writes only to a file), one rendering.
    const analysing = await submit({ auto_controls: true });
    const rendering = await submit({});
    await eventually(async () => {
      const [a, r] = await Promise.all([api(`/api/ai/queue/${analysing}`), api(`/api/ai/queue/${rendering}`)]);
      return a.stage === 'analysing' && r.stage === 'rendering' ? true : undefined;
    }, 90_000, 20);
    expect((await processesMentioning(dataDir)).length).toBeGreaterThan(0);
    await server.kill();
    server = undefined;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await processesMentioning(dataDir)).toEqual([]);
  }, scaled(150_000));
});
