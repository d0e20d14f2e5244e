/**
 * Serves the Workbench: the page at `/workbench` (with `/` redirecting there) and its
 * built assets under `/workbench/assets/`. The assets are Vite's output (`npm run
 * build:workbench`, run by `npm install` and `npm start`); nothing is fetched from a
 * CDN. Asset names are matched against a strict pattern, so no path comes from the
 * request. Without a build the page says how to make one instead of a bare 404.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * Where `vite build` writes the Workbench (git-ignored): beside this file when it runs
 * from the sources, or back in `src/workbench/dist/` when it runs compiled from `dist/`.
 */
export const WORKBENCH_DIST = [
  new URL('./dist/', import.meta.url),
  new URL('../../src/workbench/dist/', import.meta.url),
].map((url) => fileURLToPath(url)).find((dir) => existsSync(join(dir, 'index.html'))) ?? fileURLToPath(new URL('./dist/', import.meta.url));

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  map: 'application/json; charset=utf-8',
};
const ASSET = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.(js|css|svg|png|ico|map)$/;

// The page talks only to its own origin; media may come from any http(s) URL the user
// gives as input. Styles are set through the CSSOM, which style-src does not restrict.
const CSP = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
  "img-src 'self' data: blob: http: https:", "media-src 'self' blob: http: https:",
  "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>retake Workbench</title>
<h1>The Workbench is not built yet</h1>
<p>Run <code>npm run build:workbench</code> (or <code>npm install</code>) in the retake folder, then reload.</p>`;

async function sendPage(reply: FastifyReply, dir: string): Promise<FastifyReply> {
  reply.header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').header('cache-control', 'no-cache');
  try {
    return await reply.type('text/html; charset=utf-8').send(await readFile(join(dir, 'index.html')));
  } catch {
    return reply.code(503).type('text/html; charset=utf-8').send(NOT_BUILT);
  }
}

/**
 * Register the Workbench routes on the API server.
 * @param options.dir folder of the built Workbench (default {@link WORKBENCH_DIST})
 */
export function registerWorkbench(app: FastifyInstance, options: { dir?: string } = {}): void {
  const dir = options.dir ?? WORKBENCH_DIST;
  app.get('/', { config: { public: true } }, (_request, reply) => reply.redirect('/workbench', 302));
  app.get('/workbench', { config: { public: true } }, (_request, reply) => sendPage(reply, dir));
  app.get('/workbench/', { config: { public: true } }, (_request, reply) => sendPage(reply, dir));
  app.get<{ Params: { name: string } }>('/workbench/assets/:name', { config: { public: true } }, async (request, reply) => {
    const match = ASSET.exec(request.params.name);
    const body = match ? await readFile(join(dir, 'assets', request.params.name)).catch(() => undefined) : undefined;
    if (!match || !body) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    // Vite puts a content hash in every asset name, so an asset never changes.
    return reply.type(TYPES[match[1]!]!).header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff').send(body);
  });
}
