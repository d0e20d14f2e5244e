/**
 * The client snippets of the README, run as shown (taken out of README.md, not copied)
 * against a served retake: what a reader pastes is what works.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { shortClips, type ShortClips } from './support/short-clips.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/tsx/dist/cli.mjs', import.meta.url));
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The first fenced code block under the heading `## <title>`. */
function snippet(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const block = /```(?:js|ts|javascript|typescript)\n([\s\S]*?)```/.exec(README.slice(start));
  if (!block) throw new Error(`no code block under "${title}"`);
  return block[1]!;
}

let h: Harness;
let clips: ShortClips;

beforeAll(async () => {
  clips = await shortClips();
  h = await startHarness({ listen: true, role: 'all' });
});

afterAll(async () => {
  await h?.close();
  await clips?.close();
});

/** Run a snippet as an ES module from the repository root (so its imports resolve), with the reader's environment. */
async function run(code: string): Promise<string> {
  // tsx runs TypeScript snippets as they are; `retake:source` resolves `retake/client`
  // to its source (no build needed).
  const { stdout } = await promisify(execFile)(process.execPath, [TSX, '--conditions=retake:source', '--input-type=module', '--eval', code], {
    cwd: ROOT,
    env: { ...process.env, RETAKE_URL: h.baseUrl, RETAKE_KEY: h.secret, CLIP_URL: clips.url('short.mp4') },
    timeout: 60_000,
  });
  return stdout.trim();
}

/** The URL serves an MP4 (the body is read, so no response is left open). */
async function isVideo(url: string): Promise<boolean> {
  const res = await fetch(url);
  return res.ok && Buffer.from(await res.arrayBuffer()).subarray(4, 8).toString('latin1') === 'ftyp';
}

describe('README snippets', () => {
  it('"Using the Replicate client" prints the URL of the rendered video', async () => {
    const out = await run(snippet('Using the Replicate client'));
    expect(out).toMatch(new RegExp(`^${h.baseUrl}/files/outputs/.+\\.mp4$`));
    expect(await isVideo(out)).toBe(true);
  });
});

describe('README snippets, fal', () => {
  it('"Using the fal client" prints the URL of the rendered video', async () => {
    const out = await run(snippet('Using the fal client'));
    expect(out).toMatch(new RegExp(`^${h.baseUrl}/files/outputs/.+\\.mp4$`));
    expect(await isVideo(out)).toBe(true);
  });
});

describe('README snippets, TypeScript client', () => {
  it('"TypeScript client" prints the URL of the finished generation', async () => {
    const out = await run(snippet('TypeScript client'));
    expect(out).toMatch(new RegExp(`^${h.baseUrl}/files/outputs/.+\\.mp4$`));
    expect(await isVideo(out)).toBe(true);
  });
});
