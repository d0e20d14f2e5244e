/**
 * Page helpers for the Workbench browser tests: a fresh browser context with the key in
 * local storage, every request checked to stay on the server's origin, and the steps a
 * user takes (fill the form, pick a mode, run, wait for a playing result).
 */
import type { Browser, Page } from 'playwright-core';
import { scaled } from './deadline.ts';

export interface OpenPage {
  page: Page;
  /** Requests that went anywhere but the server (must stay empty: no CDN, no network). */
  foreign: string[];
  /** Uncaught errors in the page. */
  errors: string[];
  close(): Promise<void>;
}

/** Open the Workbench at `path` with `key` already stored (or none). */
export async function openWorkbench(browser: Browser, baseUrl: string, key: string | undefined, path = '/workbench', viewport = { width: 1366, height: 900 }): Promise<OpenPage> {
  const context = await browser.newContext({ viewport });
  if (key !== undefined) await context.addInitScript((k) => localStorage.setItem('retake.apiKey', k), key);
  // Playwright's waits (selectors, clicks) get deadlines that grow with the machine's load.
  context.setDefaultTimeout(scaled(30_000));
  const page = await context.newPage();
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(baseUrl) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}${path}`);
  await page.waitForSelector('#f-prompt');
  return { page, foreign, errors, close: () => context.close() };
}

/** Fill the request form as a user would (selects by value, checkboxes ticked). */
export async function fillForm(page: Page, values: Record<string, string | boolean>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const selector = `#f-${name}`;
    if (typeof value === 'boolean') await page.setChecked(selector, value);
    else if (await page.$eval(selector, (el) => el.tagName === 'SELECT')) await page.selectOption(selector, value);
    else await page.fill(selector, value);
  }
}

export async function chooseMode(page: Page, mode: 'sync' | 'poll' | 'sse'): Promise<void> {
  await page.check(`input[name=mode][value=${mode}]`);
}

/** Resolves once the result video has data and its clock has advanced (it plays). */
export async function waitForPlayingResult(page: Page): Promise<{ readyState: number; advanced: number }> {
  await page.waitForSelector('video.output');
  return page.$eval('video.output', (el, timeoutMs) => new Promise<{ readyState: number; advanced: number }>((resolve, reject) => {
    const video = el as HTMLVideoElement;
    let first: number | undefined;
    const timer = setTimeout(() => reject(new Error(`video did not play (readyState ${video.readyState}, error ${video.error?.code})`)), timeoutMs);
    const check = () => {
      if (video.readyState < 2) return;
      first ??= video.currentTime;
      if (video.currentTime > first) {
        clearTimeout(timer);
        video.removeEventListener('timeupdate', check);
        resolve({ readyState: video.readyState, advanced: video.currentTime - first });
      }
    };
    video.addEventListener('timeupdate', check);
    check();
  }), scaled(15_000));
}
