/**
 * The Workbench in a real headless Chromium against a real listening retake: the page is
 * served offline, the form follows the model's schema, the cross-field rules disable the
 * right controls, a run in each mode ends with a playing video, cancel works and the
 * history loads parameters back. Set RETAKE_SCREENSHOTS=<dir> to save screenshots.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { requestSchema } from '../src/models/index.ts';
import { scaled } from './support/deadline.ts';
import { MEDIA_DIR } from './support/media-server.ts';
import { ensureWorkbenchBuilt, launchChromium } from './support/workbench-browser.ts';
import { chooseMode, fillForm, openWorkbench, waitForPlayingResult, type OpenPage } from './support/workbench-page.ts';

let h: Harness;
let browser: Browser;
let shared: OpenPage;
const shots = process.env.RETAKE_SCREENSHOTS;

async function screenshot(page: Page, name: string): Promise<void> {
  if (!shots) return;
  await mkdir(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: name !== 'running' });
}

async function upload(name: string): Promise<string> {
  const form = new FormData();
  const { readFile } = await import('node:fs/promises');
  form.append('file', new Blob([await readFile(join(MEDIA_DIR, name))], { type: 'video/mp4' }), name);
  const res = await fetch(`${h.baseUrl}/api/files`, { method: 'POST', headers: h.auth, body: form });
  return ((await res.json()) as { url: string }).url;
}

beforeAll(async () => {
  await ensureWorkbenchBuilt();
  [h, browser] = await Promise.all([startHarness({ listen: true, role: 'all' }), launchChromium()]);
  shared = await openWorkbench(browser, h.baseUrl, h.secret);
}, scaled(120_000));

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

// Each test waits on the page and a real render; on a busy machine those take minutes.
describe('Workbench page', { timeout: scaled(120_000) }, () => {
  it('is served at / and /workbench from the server alone, and names a missing or wrong key', async () => {
    const res = await fetch(`${h.baseUrl}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/workbench');

    const anon = await openWorkbench(browser, h.baseUrl, undefined, '/');
    try {
      expect(new URL(anon.page.url()).pathname).toBe('/workbench');
      await expect.poll(() => anon.page.textContent('#key-status')).toContain('Enter an API key');
      await screenshot(anon.page, 'no-key');
      await anon.page.fill('#key-input', 'rtk_not_a_real_key');
      await anon.page.click('#key-form button[type=submit]');
      await expect.poll(() => anon.page.textContent('#key-status')).toContain('refused this API key');
      expect(anon.foreign).toEqual([]);
      expect(anon.errors).toEqual([]);
    } finally {
      await anon.close();
    }
  });

  it('selects the model named in ?model= and builds the form from its schema', async () => {
    const { page } = shared;
    await expect.poll(() => page.textContent('#key-status')).toContain('HDR access: yes');
    const other = await openWorkbench(browser, h.baseUrl, h.secret, '/workbench?model=luma-ray-v3-2-video-to-video');
    expect(await other.page.inputValue('#model-select')).toBe('luma-ray-v3-2-video-to-video');
    await other.close();

    // The page shows retake-local, whose schema leaves out the hosted model's controls.
    const schema = requestSchema(['controls']) as { 'x-order': string[]; basic: string[]; required: string[]; properties: Record<string, any> };
    const order = await page.$$eval('.schema-form [data-field]', (els) => els.map((e) => (e as HTMLElement).dataset.field));
    // The keyframe strip stands with the source video, right after it; every other field
    // follows the schema's order, the basic ones first.
    const fields = schema['x-order'].filter((n) => n !== 'keyframes');
    const basic = fields.filter((n) => schema.basic.includes(n));
    expect(order).toEqual([...basic, ...fields.filter((n) => !basic.includes(n))].flatMap((n) => (n === 'input_video' ? [n, 'keyframes'] : [n])));
    const advanced = await page.$$eval('details.advanced [data-field]', (els) => els.map((e) => (e as HTMLElement).dataset.field));
    expect(advanced).toEqual(fields.filter((n) => !schema.basic.includes(n)));

    // The keyframe strip is its own control, exercised by workbench-keyframes.test.ts.
    for (const [name, prop] of Object.entries(schema.properties).filter(([n]) => n !== 'keyframes')) {
      const control = await page.$eval(`#f-${name}`, (el) => ({
        tag: el.tagName, type: (el as HTMLInputElement).type, value: (el as HTMLInputElement).value,
        options: el.tagName === 'SELECT' ? Array.from((el as HTMLSelectElement).options).map((o) => o.value).filter(Boolean) : [],
        label: document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '',
        help: document.getElementById(`help-${(el as HTMLInputElement).name}`)?.textContent ?? '',
      }));
      expect(control.label).toContain(prop.title);
      expect(control.help).toBe(prop.description);
      if (prop.enum) {
        expect(control.tag).toBe('SELECT');
        expect(control.options).toEqual(prop.enum);
        expect(control.value).toBe(prop.default ?? '');
      } else if (prop.type === 'boolean') {
        expect(control.type).toBe('checkbox');
      } else if (prop.renderType) {
        expect(control.type).toBe('url');
        expect(await page.getAttribute(`#f-${name}-file`, 'accept')).toBe(prop.renderType === 'video-url' ? 'video/*' : 'image/*');
      }
      if (schema.required.includes(name)) expect(control.label).toContain('*');
    }
    await screenshot(page, 'empty-form');
  });

  it('labels every control and works with the keyboard', async () => {
    const { page } = shared;
    const unlabelled = await page.$$eval('input, select, textarea, button', (els) => els
      .filter((el) => {
        const e = el as HTMLInputElement;
        const named = e.labels?.length || e.getAttribute('aria-label') || (e.tagName === 'BUTTON' && e.textContent?.trim());
        return !named;
      })
      .map((el) => el.outerHTML.slice(0, 80)));
    expect(unlabelled).toEqual([]);
    await page.focus('#tab-result');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-api');
    expect(await page.isVisible('#view-api')).toBe(true);
    await page.keyboard.press('ArrowLeft');
    expect(await page.isVisible('#view-result')).toBe(true);
    // Enter in the form runs it; with the required fields empty the errors say what is missing.
    await page.focus('#f-input_video');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('[data-error-for=prompt]')).toContain('Prompt is required');
    expect(await page.textContent('[data-error-for=input_video]')).toContain('Input video is required');
  });

  it('fits a phone screen: one column, nothing wider than the viewport', async () => {
    const phone = await openWorkbench(browser, h.baseUrl, h.secret, '/workbench', { width: 390, height: 844 });
    try {
      await expect.poll(() => phone.page.textContent('#key-status')).toContain('HDR access');
      const layout = await phone.page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        builder: document.querySelector('.builder')!.getBoundingClientRect().toJSON() as DOMRect,
        views: document.querySelector('.views')!.getBoundingClientRect().toJSON() as DOMRect,
      }));
      expect(layout.scrollWidth).toBeLessThanOrEqual(390);
      expect(layout.views.top).toBeGreaterThanOrEqual(layout.builder.bottom);
      await screenshot(phone.page, 'phone');
    } finally {
      await phone.close();
    }
  });

  it('disables controls by the cross-field rules while editing, and shows server errors beside the field', async () => {
    const { page } = shared;
    const disabled = (name: string) => page.isDisabled(`#f-${name}`);
    expect([await disabled('hdr'), await disabled('exr_export')]).toEqual([true, true]);
    expect(await page.textContent('#why-hdr')).toContain('720p or 1080p');
    await fillForm(page, { resolution: '720p' });
    expect([await disabled('hdr'), await disabled('exr_export')]).toEqual([false, true]);
    await fillForm(page, { hdr: true });
    expect(await disabled('exr_export')).toBe(false);
    await fillForm(page, { exr_export: true, resolution: '540p' });
    expect([await disabled('hdr'), await page.isChecked('#f-hdr'), await disabled('exr_export')]).toEqual([true, false, true]);

    await fillForm(page, { auto_controls: true });
    expect(await disabled('edit_strength')).toBe(true);
    await fillForm(page, { auto_controls: false, edit_strength: 'adhere_1' });
    expect(await disabled('auto_controls')).toBe(true);
    expect(await page.textContent('#why-auto_controls')).toContain('Not with Edit strength');
    await fillForm(page, { edit_strength: '' });
    expect(await disabled('auto_controls')).toBe(false);

    await fillForm(page, { prompt: 'watercolor', input_video: 'ftp://example.com/clip.mp4' });
    await expect.poll(() => page.textContent('[data-error-for=input_video]')).toMatch(/input_video/);
    await fillForm(page, { input_video: '' });

    const noHdr = await h.retake.keys.create({ name: 'no-hdr', hdrAccess: false });
    const other = await openWorkbench(browser, h.baseUrl, noHdr.secret);
    try {
      await expect.poll(() => other.page.textContent('#key-status')).toContain('HDR access: no');
      await fillForm(other.page, { resolution: '1080p' });
      expect(await other.page.isDisabled('#f-hdr')).toBe(true);
      expect(await other.page.textContent('#why-hdr')).toContain('no HDR access');
    } finally {
      await other.close();
    }
  });

  it('takes the user to the first field the server refused when a run is refused', async () => {
    const phone = await openWorkbench(browser, h.baseUrl, h.secret, '/workbench', { width: 390, height: 700 });
    try {
      const { page } = phone;
      await fillForm(page, { prompt: 'watercolor', input_video: 'ftp://example.com/clip.mp4' });
      await chooseMode(page, 'sync');
      await page.click('#run');
      // The run's 422 puts the message beside the field, scrolls to it and focuses it.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('f-input_video');
      expect(await page.textContent('[data-error-for=input_video]')).toMatch(/input_video/);
      const inView = await page.$eval('#f-input_video', (el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      });
      expect(inView).toBe(true);
    } finally {
      await phone.close();
    }
  });

  it.each([
    { mode: 'sync', values: { prompt: 'pencil sketch', resolution: '540p' } },
    { mode: 'poll', values: { prompt: 'film noir, high-contrast', edit_strength: 'adhere_3' } },
    { mode: 'sse', values: { prompt: 'neon cyberpunk', edit_strength: '', auto_controls: true } },
  ] as { mode: 'sync' | 'poll' | 'sse'; values: Record<string, string | boolean> & { prompt: string } }[])('runs in $mode mode and ends with the result playing beside its source', async ({ mode, values }) => {
    const { page } = shared;
    if (mode === 'sync') {
      await page.setInputFiles('#f-input_video-file', join(MEDIA_DIR, 'portrait.mp4'));
      await expect.poll(() => page.textContent('[data-upload-status=input_video]')).toContain('Uploaded portrait.mp4');
      expect(await page.$eval('.preview-video video', (v) => (v as HTMLVideoElement).src)).toContain('/files/uploads/');
    }
    await fillForm(page, values);
    await chooseMode(page, mode);
    // The first estimate of retake-local loads the sentence model (lazily, once).
    await expect.poll(() => page.textContent('#estimate'), { timeout: scaled(20_000) }).toContain('Estimated cost: free');
    if (mode === 'sync') {
      // What the engine will understand is shown live, before anything runs.
      await fillForm(page, { prompt: 'a gritty 1940s detective movie' });
      await expect.poll(() => page.getAttribute('#understood [data-look]', 'data-look')).toBe('noir');
      expect(await page.textContent('#understood')).toMatch(/Read: .*detective/);
      await fillForm(page, { prompt: 'a hand-painted watercolor animation with soft pastel colors' });
      await expect.poll(() => page.textContent('#understood [data-look]')).toBe('watercolor · pastel palette · soft');
      expect(await page.textContent('#understood')).toMatch(/Not used: animation$/);
      await fillForm(page, values);
      await expect.poll(() => page.getAttribute('#understood [data-look]', 'data-look')).toBe('pencil_sketch');
    }
    await page.click('#run');
    await page.waitForSelector('[data-status=succeeded]', { timeout: scaled(30_000) });
    const playing = await waitForPlayingResult(page);
    expect(playing.readyState).toBeGreaterThanOrEqual(2);
    expect(playing.advanced).toBeGreaterThan(0);
    expect(await page.$eval('video.source', (v) => (v as HTMLVideoElement).src)).toContain('/files/uploads/');
    expect(await page.$eval('#progress-bar', (bar) => (bar as HTMLProgressElement).value)).toBe(100);
    expect(await page.textContent('#progress-text')).toContain('succeeded');
    expect(await page.textContent('.interpretation')).toContain(values.prompt.split(/[ ,]/)[0]);
    expect(await page.$$eval('.downloads a', (as) => as.map((a) => a.getAttribute('href')))).toEqual([expect.stringContaining('/files/outputs/')]);
    if (mode === 'sse') {
      // The wipe slider moves the edge between result and source.
      await page.fill('#wipe', '20');
      expect(await page.$eval('video.output', (v) => (v as HTMLVideoElement).style.clipPath)).toBe('inset(0px 80% 0px 0px)');
      await page.fill('#wipe', '50');
      await screenshot(page, 'finished-compare');
    }
  });

  it('cancels a running generation from the progress bar', async () => {
    const { page } = shared;
    await fillForm(page, { input_video: await upload('flower.mp4'), prompt: 'oil painting, golden hour', auto_controls: false, resolution: '540p' });
    await chooseMode(page, 'sse');
    await page.click('#run');
    await page.waitForSelector('#cancel:not([disabled])');
    await expect.poll(() => page.textContent('#progress-text'), { timeout: scaled(15_000) }).toContain('rendering');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'running');
    await page.click('#cancel');
    await page.waitForSelector('[data-status=cancelled]', { timeout: scaled(10_000) });
    const { rows } = await h.retake.generations.list({ key_id: h.key.id, limit: 1, offset: 0 });
    expect(rows[0]).toMatchObject({ status: 'cancelled', prompt: 'oil painting, golden hour' });
  });

  it('lists the history and loads a generation back into the form', async () => {
    const { page } = shared;
    await page.click('#tab-history');
    await page.waitForSelector('.history-item');
    const prompts = await page.$$eval('.history-prompt', (els) => els.map((e) => e.textContent));
    expect(prompts).toEqual(['oil painting, golden hour', 'neon cyberpunk', 'film noir, high-contrast', 'pencil sketch']);
    expect(await page.textContent('.history')).toContain('cancelled');
    await fillForm(page, { prompt: 'something else', resolution: '1080p' });
    await page.click('.history-item:has-text("film noir")');
    expect(await page.inputValue('#f-prompt')).toBe('film noir, high-contrast');
    expect(await page.inputValue('#f-edit_strength')).toBe('adhere_3');
    expect(await page.inputValue('#f-resolution')).toBe('540p');
    expect(await page.isChecked('#f-auto_controls')).toBe(false);
    expect(await page.getAttribute('[role=tab][aria-selected=true]', 'id')).toBe('tab-result');
    await waitForPlayingResult(page);
    expect(shared.foreign).toEqual([]);
    expect(shared.errors).toEqual([]);
  });
});
