/**
 * Browser-test support for the Workbench: builds the page with Vite when the build is
 * missing or older than its sources, and launches the OS's Chromium headless through
 * playwright-core (no browser is ever downloaded).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

const WORKBENCH = fileURLToPath(new URL('../../src/workbench/', import.meta.url));
/** Files outside the Workbench's folder that its bundle includes. */
const SHARED_SOURCES = [fileURLToPath(new URL('../../src/client/sse-frames.ts', import.meta.url))];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'serve.ts') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh(): boolean {
  const index = join(WORKBENCH, 'dist', 'index.html');
  const newest = Math.max(newestSource(WORKBENCH), ...SHARED_SOURCES.map((path) => statSync(path).mtimeMs));
  return existsSync(index) && statSync(index).mtimeMs >= newest;
}

/**
 * Build the Workbench unless `dist/` is newer than every source file. Test files run in
 * parallel, so the build happens under a lock directory: one builds, the others wait.
 */
export async function ensureWorkbenchBuilt(): Promise<void> {
  if (isFresh()) return;
  const lock = join(tmpdir(), 'retake-workbench-build.lock');
  for (let tries = 0; ; tries++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another file is building; a lock older than a minute was left by a killed run.
      if (tries > 600 || Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (isFresh()) return;
    const { build } = await import('vite');
    await build({ configFile: join(WORKBENCH, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The OS's Chromium: CHROMIUM_PATH, or the first of the usual install paths. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];
  const found = candidates.find((p): p is string => Boolean(p) && existsSync(p!));
  if (!found) throw new Error('Chromium not found: install the chromium package or set CHROMIUM_PATH');
  return found;
}

/** Headless Chromium with everything that would reach the network switched off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}
