/**
 * The API tab never shows code that fails: the cURL and Python it shows for each run
 * mode are copied out of the page in a real Chromium and executed as shown, with only
 * RETAKE_KEY set, and each must leave a succeeded generation behind. The TypeScript
 * snippet (with the typed client) runs too, with tsx.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import type { GenerationRow } from '../src/store/types.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { ensureWorkbenchBuilt, launchChromium } from './support/workbench-browser.ts';
import { chooseMode, fillForm, openWorkbench, type OpenPage } from './support/workbench-page.ts';

let h: Harness;
let browser: Browser;
let wb: OpenPage;
let dir: string;
const shots = process.env.RETAKE_SCREENSHOTS;

/** Run a program with RETAKE_KEY set (and nothing else of the test's secrets). */
function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, RETAKE_KEY: h.secret }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function newestGeneration(): Promise<GenerationRow> {
  const { rows } = await h.retake.generations.list({ key_id: h.key.id, limit: 1, offset: 0 });
  return rows[0]!;
}

beforeAll(async () => {
  await ensureWorkbenchBuilt();
  dir = await mkdtemp(join(tmpdir(), 'retake-snippets-'));
  // A short keep-alive lets the SSE cURL pipeline notice its reader has finished.
  [h, browser] = await Promise.all([startHarness({ listen: true, role: 'all', config: { keepAliveMs: 300 } }), launchChromium()]);
  wb = await openWorkbench(browser, h.baseUrl, h.secret);
  await wb.page.setInputFiles('#f-input_video-file', join(MEDIA_DIR, 'portrait.mp4'));
  await wb.page.waitForFunction(() => document.querySelector('[data-upload-status=input_video]')?.textContent?.startsWith('Uploaded'));
  await wb.page.click('#tab-api');
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function snippet(kind: 'curl' | 'python' | 'typescript' | 'cli', mode: 'sync' | 'poll' | 'sse', prompt: string): Promise<string> {
  await fillForm(wb.page, { prompt, edit_strength: 'flex_1' });
  await chooseMode(wb.page, mode);
  await expect.poll(() => wb.page.textContent(`[data-snippet=${kind}]`)).toContain(prompt);
  return (await wb.page.textContent(`[data-snippet=${kind}]`))!;
}

describe('API tab code, run as shown', () => {
  it('shows code with the key from RETAKE_KEY, this server as the base URL, and a copy button', async () => {
    const code = await snippet('curl', 'sync', 'pastel, soft');
    expect(code).toContain('$RETAKE_KEY');
    expect(code).not.toContain(h.secret);
    expect(code).toContain(`${h.baseUrl}/api/ai/videos/generate`);
    expect(await wb.page.$$eval('[data-copy]', (bs) => bs.map((b) => (b as HTMLElement).dataset.copy))).toEqual(['curl', 'python', 'typescript', 'cli']);
    expect(await snippet('cli', 'sync', 'pastel, soft')).toMatch(/^retake edit http:\S+portrait\.mp4 \\\n {2}--prompt 'pastel, soft'/m);
    // The first estimate loads the prompt model (once per process): allow it time.
    await expect.poll(() => wb.page.textContent('#estimate'), { timeout: 20_000 }).toContain('Estimated cost');
    if (shots) await wb.page.screenshot({ path: join(shots, 'api-tab.png') });
  });

  it.each(['sync', 'poll', 'sse'] as const)('cURL in %s mode produces a succeeded generation', async (mode) => {
    const prompt = `sepia, curl ${mode}`;
    const code = await snippet('curl', mode, prompt);
    await writeFile(join(dir, `curl-${mode}.sh`), code);
    const result = await run('bash', [join(dir, `curl-${mode}.sh`)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(mode === 'sync' ? /"videos":\[\{"url":"http/ : /"status":"succeeded"/);
    expect(await newestGeneration()).toMatchObject({ status: 'succeeded', prompt, request: { edit_strength: 'flex_1' } });
  });

  it.each(['sync', 'poll', 'sse'] as const)('Python in %s mode produces a succeeded generation', async (mode) => {
    const prompt = `vintage film, python ${mode}`;
    const code = await snippet('python', mode, prompt);
    await writeFile(join(dir, `snippet-${mode}.py`), code);
    const result = await run('python3', [join(dir, `snippet-${mode}.py`)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(mode === 'sync' ? /^http:\/\/.*output\.mp4$/m : /^succeeded http:\/\/\S+output\.mp4$/m);
    expect(await newestGeneration()).toMatchObject({ status: 'succeeded', prompt });
  });

  it('TypeScript in sse mode produces a succeeded generation', async () => {
    const prompt = 'comic ink, typescript';
    const code = await snippet('typescript', 'sse', prompt);
    await writeFile(join(dir, 'snippet.mts'), code);
    // As installed: `retake` in the snippet's node_modules (this checkout), its client
    // resolved to the TypeScript source so no build is needed.
    await mkdir(join(dir, 'node_modules'), { recursive: true });
    await symlink(process.cwd(), join(dir, 'node_modules', 'retake'), 'dir').catch(() => undefined);
    const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
    const result = await run(tsx, ['--conditions=retake:source', join(dir, 'snippet.mts')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^succeeded http:\/\/\S+output\.mp4$/m);
    expect(await newestGeneration()).toMatchObject({ status: 'succeeded', prompt });
  });
});
