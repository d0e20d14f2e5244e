/**
 * Vite build of the Workbench: plain TypeScript and CSS from `client/`, bundled into
 * `dist/` with hashed names and served by `serve.ts` under `/workbench/`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/workbench/',
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // One small bundle; no inline data URLs (the page's CSP allows only 'self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
