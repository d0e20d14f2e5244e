/**
 * Guided mode in the Workbench, in a real headless Chromium against a real listening
 * retake: a user uploads a clip and a restyle of its first frame, runs, and sees the
 * keyframe beside the result with what the engine learned (mode, keyframe fit,
 * alignment). An image that is not a restyle of frame 0 (a photo of London on a clip
 * of a flower) still renders, says so beside the keyframe and in the warnings.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { ensureWorkbenchBuilt, launchChromium } from './support/workbench-browser.ts';
import { chooseMode, fillForm, openWorkbench, waitForPlayingResult, type OpenPage } from './support/workbench-page.ts';
import { EFFECTS } from './support/guided-fixtures.ts';
import { scaled } from './support/deadline.ts';

let h: Harness;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-workbench-guided-'));
  await ensureWorkbenchBuilt();
  [h, browser] = await Promise.all([startHarness({ listen: true, role: 'all' }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Frame 0 of a clip restyled with an FFmpeg effect, as a user's image tool would. */
function restyledFrame0(clip: string, effect: string): string {
  const out = join(dir, `${clip}.png`);
  execFileSync('ffmpeg', ['-v', 'error', '-i', join(MEDIA_DIR, clip), '-frames:v', '1', '-vf', `format=rgb24,${effect}`, '-y', out]);
  return out;
}

async function runWithKeyframe(page: OpenPage['page'], clip: string, image: string, prompt: string): Promise<void> {
  await page.setInputFiles('#f-input_video-file', join(MEDIA_DIR, clip));
  await expect.poll(() => page.textContent('[data-upload-status=input_video]'), { timeout: 15_000 }).toContain(`Uploaded ${clip}`);
  await page.setInputFiles('#f-input_image-file', image);
  await expect.poll(() => page.inputValue('#f-input_image'), { timeout: 15_000 }).toContain('/files/uploads/');
  await fillForm(page, { prompt, resolution: '540p' });
  await chooseMode(page, 'sse');
  await page.click('#run');
  await page.waitForSelector('[data-status=succeeded]', { timeout: 200_000 });
  await waitForPlayingResult(page);
}

describe('Workbench guided mode', () => {
  it('shows the keyframe beside the result with the learned fit and alignment', async () => {
    const open = await openWorkbench(browser, h.baseUrl, h.secret);
    try {
      const sepia = restyledFrame0('portrait.mp4', EFFECTS.sepia);
      await runWithKeyframe(open.page, 'portrait.mp4', sepia, 'warm vintage film');
      const { page } = open;
      const section = page.locator('section.guided');
      await expect.poll(() => section.count()).toBe(1);
      // The keyframe image is the uploaded one, and it has loaded.
      const keyframe = await page.$eval('section.guided img.keyframe', (img) => ({
        src: (img as HTMLImageElement).src, width: (img as HTMLImageElement).naturalWidth,
      }));
      expect(keyframe.src).toContain('/files/uploads/');
      expect(keyframe.width).toBeGreaterThan(0);
      const text = (await section.textContent()) ?? '';
      expect(text).toContain('the keyframe\'s look learned and applied to every frame');
      const fit = /SSIM-Y (\d\.\d+), ΔE (\d+\.\d+)/.exec(text);
      expect(fit, text).not.toBeNull();
      // A sepia grade is learned almost exactly on the keyframe itself.
      expect(Number(fit![1])).toBeGreaterThan(0.95);
      expect(Number(fit![2])).toBeLessThan(3);
      expect(text).toMatch(/Alignment\s*\d\.\d+ \(a restyle of frame 0\)/);
      expect(open.foreign).toEqual([]);
      expect(open.errors).toEqual([]);
    } finally {
      await open.close();
    }
  }, scaled(240_000));

  it('says when the image is not a restyle of frame 0, and still renders', async () => {
    const open = await openWorkbench(browser, h.baseUrl, h.secret);
    try {
      await runWithKeyframe(open.page, 'flower.mp4', join(MEDIA_DIR, 'london.jpg'), 'city lights');
      const { page } = open;
      const text = (await page.locator('section.guided').textContent()) ?? '';
      expect(text).toContain('not a restyle of frame 0');
      expect(text).not.toContain('Keyframe fit');
      expect(await page.textContent('section.warnings')).toMatch(/input_image/);
      expect(open.errors).toEqual([]);
    } finally {
      await open.close();
    }
  }, scaled(240_000));
});
