/**
 * A ComfyUI workflow model in the Workbench, in a real headless Chromium against a real
 * listening retake and a stand-in ComfyUI: the models file's models are in the picker;
 * picking one builds the form from its derived schema (a workflow without an image
 * binding offers no image field, the shipped example with its keyframes binding shows the
 * keyframe strip, none offers HDR); a run goes to ComfyUI with
 * the form's values, ends with the stand-in's video playing, and is in the history.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { MODEL_ID, plainExample, writeModelsFile } from './support/comfyui/models-file.ts';
import { startComfyStandin, type ComfyStandin } from './support/comfyui/standin.ts';
import { scaled } from './support/deadline.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { ensureWorkbenchBuilt, launchChromium } from './support/workbench-browser.ts';
import { chooseMode, fillForm, openWorkbench, waitForPlayingResult } from './support/workbench-page.ts';

let comfy: ComfyStandin;
let h: Harness;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-workbench-comfy-'));
  comfy = await startComfyStandin();
  // The example without its reference image nor keyframes: no image binding, so no input_image.
  const plain = await plainExample();
  const { 134: _image, ...noImage } = plain.workflow;
  delete noImage['49']!.inputs.reference_image;
  const { image: _bound, ...bindings } = plain.bindings;
  const path = await writeModelsFile(dir, [comfy.url], [
    { id: 'wan-no-image', display_name: 'Wan without image', workflow: noImage, bindings },
  ]);
  await ensureWorkbenchBuilt();
  [h, browser] = await Promise.all([
    startHarness({ listen: true, role: 'all', config: { modelsFile: path, comfyPollMs: 50, logLevel: 'error' } }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await comfy?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a ComfyUI model in the Workbench', () => {
  it('is in the picker, its form follows its bindings, and a run plays the stand-in\'s video and lands in the history', async () => {
    const open = await openWorkbench(browser, h.baseUrl, h.secret);
    const { page, foreign, errors } = open;
    try {
      const options = await page.$$eval('#model-select option', (els) => els.map((o) => (o as HTMLOptionElement).value));
      expect(options).toEqual(expect.arrayContaining(['retake-local', MODEL_ID, 'wan-no-image']));

      const fields = () => page.$$eval('.schema-form [data-field]', (els) => els.map((e) => (e as HTMLElement).dataset.field).sort());
      await page.selectOption('#model-select', MODEL_ID);
      await expect.poll(fields).toEqual(['duration', 'edit_strength', 'input_image', 'input_video', 'keyframes', 'prompt', 'resolution']);
      await expect.poll(() => page.locator('.keyframe-strip').count()).toBe(1);
      await page.selectOption('#model-select', 'wan-no-image');
      await expect.poll(fields).toEqual(['duration', 'edit_strength', 'input_video', 'prompt', 'resolution']);
      expect(await page.locator('.keyframe-strip').count()).toBe(0);

      await page.setInputFiles('#f-input_video-file', join(MEDIA_DIR, 'portrait.mp4'));
      await expect.poll(() => page.textContent('[data-upload-status=input_video]'), { timeout: scaled(15_000) }).toContain('Uploaded portrait.mp4');
      await fillForm(page, { prompt: 'a workbench user asks comfy', resolution: '540p', edit_strength: 'flex_3' });
      await chooseMode(page, 'sse');
      await page.click('#run');
      await page.waitForSelector('[data-status=succeeded]', { timeout: scaled(60_000) });
      const playing = await waitForPlayingResult(page);
      expect(playing.advanced).toBeGreaterThan(0);

      const sent = comfy.submissions.at(-1)!.graph;
      expect(sent['6']!.inputs.text).toBe('a workbench user asks comfy');
      expect(sent['49']!.inputs.strength).toBe(0.85);
      expect(sent).not.toHaveProperty('134');

      await page.click('#tab-history');
      await page.waitForSelector('.history-item');
      expect(await page.$$eval('.history-prompt', (els) => els.map((e) => e.textContent))).toEqual(['a workbench user asks comfy']);
      expect(foreign).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await open.close();
    }
  });
});
