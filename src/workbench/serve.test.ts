import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWorkbench } from './serve.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-wb-'));
  await mkdir(join(dir, 'built', 'assets'), { recursive: true });
  await writeFile(join(dir, 'built', 'index.html'), '<!doctype html><title>wb</title>');
  await writeFile(join(dir, 'built', 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.js'), 'nope');
});

afterAll(() => rm(dir, { recursive: true, force: true }));

function app(sub: string) {
  const a = Fastify();
  registerWorkbench(a, { dir: join(dir, sub) });
  return a;
}

describe('Workbench routes', () => {
  it('redirects / to the page and serves it with a same-origin CSP', async () => {
    const a = app('built');
    const root = await a.inject({ url: '/' });
    expect([root.statusCode, root.headers.location]).toEqual([302, '/workbench']);
    const page = await a.inject({ url: '/workbench?model=retake-local' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(page.body).toContain('<title>wb</title>');
  });

  it('serves hashed assets as immutable and nothing outside the assets folder', async () => {
    const a = app('built');
    const js = await a.inject({ url: '/workbench/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.headers['cache-control']).toContain('immutable');
    for (const url of ['/workbench/assets/..%2F..%2Fsecret.js', '/workbench/assets/missing.js', '/workbench/assets/index.html']) {
      expect((await a.inject({ url })).statusCode).toBe(404);
    }
  });

  it('says how to build the page when there is no build', async () => {
    const page = await app('absent').inject({ url: '/workbench' });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('npm run build:workbench');
  });
});
