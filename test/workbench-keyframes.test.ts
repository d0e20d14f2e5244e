/**
 * The keyframe strip in a real headless Chromium against a real listening retake: a user
 * uploads a clip, pauses its player at 2 s and takes that moment's frame number (read in
 * the source's own frame grid), downloads the frame, attaches two restyled frames, sees
 * both as markers, finds them in the API tab's code, runs, and sees both markers in the
 * result's summary.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { ensureWorkbenchBuilt, launchChromium } from './support/workbench-browser.ts';
import { chooseMode, fillForm, openWorkbench, waitForPlayingResult } from './support/workbench-page.ts';
import { scaled } from './support/deadline.ts';

let h: Harness;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-workbench-keyframes-'));
  await ensureWorkbenchBuilt();
  [h, browser] = await Promise.all([startHarness({ listen: true, role: 'all' }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

/** flower.mp4's frame `index`, restyled as a user's image tool would. */
function restyled(index: number): string {
  const out = join(dir, `frame-${index}.png`);
  execFileSync('ffmpeg', ['-v', 'error', '-i', join(MEDIA_DIR, 'flower.mp4'), '-vf', `select=eq(n\\,${index}),format=rgb24,hue=s=0.3`, '-frames:v', '1', '-y', out]);
  return out;
}

describe('Workbench keyframe strip', () => {
  it('picks a moment, downloads its frame, attaches two keyframes, and shows both markers in the strip, the code and the result', async () => {
    const open = await openWorkbench(browser, h.baseUrl, h.secret);
    const { page } = open;
    try {
      await page.setInputFiles('#f-input_video-file', join(MEDIA_DIR, 'flower.mp4'));
      await expect.poll(() => page.textContent('[data-upload-status=input_video]'), { timeout: 15_000 }).toContain('Uploaded flower.mp4');
      const player = '[data-field=input_video] video';
      await page.waitForSelector(player);
      // Pause the source at 2 s: flower.mp4 runs at 29.97 fps, so this is frame 59.
      await page.$eval(player, (el) => new Promise<void>((resolve) => {
        const video = el as HTMLVideoElement;
        video.addEventListener('seeked', () => resolve(), { once: true });
        video.currentTime = 2;
      }));
      await page.click('#kf-pick');
      await expect.poll(() => page.inputValue('#kf-frame'), { timeout: 20_000 }).toBe('59');
      expect(await page.textContent('#kf-status')).toContain('29.97 fps');

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#kf-download')]);
      expect(download.suggestedFilename()).toBe('frame-59.png');
      const png = await readFile((await download.path()));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      // The frame at the source's own size (flower.mp4 is 960×540).
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([960, 540]);

      await page.setInputFiles('#kf-file', restyled(59));
      await expect.poll(() => page.locator('.keyframe-strip .kf-marker').count(), { timeout: 15_000 }).toBe(1);
      await page.fill('#kf-frame', '0');
      await page.setInputFiles('#kf-file', restyled(0));
      await expect.poll(() => page.locator('.keyframe-strip .kf-marker').count(), { timeout: 15_000 }).toBe(2);
      expect(await page.$$eval('.keyframe-strip .kf-marker', (els) => els.map((e) => e.getAttribute('data-frame')))).toEqual(['0', '59']);

      await fillForm(page, { prompt: 'faded film', resolution: '540p' });
      await page.click('#tab-api');
      const code = (await page.textContent('#view-api')) ?? '';
      expect(code).toMatch(/"keyframes"/);
      expect(code).toMatch(/--keyframe '?59:http\S+\/files\/uploads\//);
      await page.click('#tab-result');

      await chooseMode(page, 'sse');
      await page.click('#run');
      await page.waitForSelector('[data-status=succeeded]', { timeout: 200_000 });
      await waitForPlayingResult(page);
      expect(await page.$$eval('.result-keyframes .kf-marker', (els) => els.map((e) => e.getAttribute('data-frame')))).toEqual(['0', '59']);
      const thumbs = await page.$$eval('.result-keyframes img', (els) => els.map((e) => (e as HTMLImageElement).src));
      expect(thumbs).toHaveLength(2);
      for (const src of thumbs) expect(src).toContain('/files/uploads/');
      expect(open.foreign).toEqual([]);
      expect(open.errors).toEqual([]);
    } finally {
      await open.close();
    }
  }, scaled(300_000));
});
