/**
 * The URL guard against real HTTP servers on 127.0.0.1. Nothing here leaves loopback:
 * hops to other addresses are refused by the guard before a socket is opened, and the
 * cases that exercise the refusal paths end to end use 127.0.0.2 (loopback, but not on
 * the test's allow-list) or names resolved by an injected resolver.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RetakeError } from '../src/errors/index.ts';
import { blockedRange, fetchToFile, guardedLookup, type FetchToFileOptions } from '../src/net/index.ts';
import { listenOn } from '../src/cli/free-port.ts';

let server: Server;
let port: number;
let base: string;
let dir: string;
const body = Buffer.alloc(4096, 7);

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    const redirect = (to: string): void => void res.writeHead(302, { location: to }).end();
    if (path === '/ok') return void res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': body.length }).end(body);
    const hops = /^\/redirect\/(\d+)$/.exec(path);
    if (hops) return redirect(Number(hops[1]) === 0 ? '/ok' : `/redirect/${Number(hops[1]) - 1}`);
    if (path === '/big-declared') return void res.writeHead(200, { 'content-length': 100_000 }).end(Buffer.alloc(100_000));
    if (path === '/big-chunked') {
      res.writeHead(200, { 'content-type': 'video/mp4' });
      for (let i = 0; i < 100; i++) res.write(Buffer.alloc(1000));
      return void res.end();
    }
    if (path === '/stall') return void res.writeHead(200, { 'content-length': 10_000 }).write(Buffer.alloc(100));
    if (path === '/silent') return; // never answers
    if (path === '/trickle') {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 50);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (path === '/missing') return void res.writeHead(404).end('not here');
    if (path === '/broken') return void res.writeHead(503).end('down');
    if (path === '/to-loopback-2') return redirect(`http://127.0.0.2:${port}/ok`);
    if (path === '/to-name') return redirect(`http://sneaky.test:${port}/ok`);
    if (path === '/to-metadata') return redirect('http://169.254.169.254/latest/meta-data/');
    if (path === '/to-metadata-name') return redirect('http://metadata.test/latest/meta-data/');
    if (path === '/to-private') return redirect('http://10.0.0.1/video.mp4');
    if (path === '/to-mapped') return redirect('http://[::ffff:10.0.0.1]/video.mp4');
    if (path === '/to-file') return redirect('file:///etc/passwd');
    res.writeHead(500).end();
  });
  await listenOn(server);
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'retake-fetch-'));
  return () => rm(dir, { recursive: true, force: true });
});

/** The real policy, except that this test's server at 127.0.0.1 may be reached. */
const checked: string[] = [];
const exceptTestServer = (address: string): string | undefined => {
  checked.push(address);
  return address === '127.0.0.1' ? undefined : blockedRange(address);
};
const guarded: FetchToFileOptions = { allowPrivate: false, policy: exceptTestServer, maxBytes: 10_000, timeoutMs: 5_000, stallMs: 1_000 };

async function failure(url: string, options: Partial<FetchToFileOptions> = {}): Promise<RetakeError> {
  const before = await readdir(dir);
  const err = await fetchToFile(url, join(dir, 'input'), { ...guarded, ...options }).then(
    () => new Error('fetch succeeded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RetakeError);
  // Whatever failed, no partial file is left behind.
  expect(await readdir(dir)).toEqual(before);
  return err as RetakeError;
}

describe('fetchToFile', () => {
  it('refuses a URL to 127.0.0.1 unless private addresses are allowed', async () => {
    const err = await failure(`${base}/ok`, { policy: undefined });
    expect(err.code).toBe('input_url_blocked');
    expect(err.message).toMatch(/loopback/);
    const result = await fetchToFile(`${base}/ok`, join(dir, 'input'), { ...guarded, policy: undefined, allowPrivate: true });
    expect(result).toEqual({ bytes: body.length, contentType: 'video/mp4' });
    expect(await readFile(join(dir, 'input'))).toEqual(body);
  });

  it('refuses a localhost name after resolving it', async () => {
    const err = await failure(`http://localhost:${port}/ok`, { policy: undefined });
    expect(err.code).toBe('input_url_blocked');
  });

  it('follows a chain of redirects up to five hops', async () => {
    const result = await fetchToFile(`${base}/redirect/4`, join(dir, 'input'), guarded);
    expect(result.bytes).toBe(body.length);
    const err = await failure(`${base}/redirect/5`);
    expect(err.code).toBe('input_unreachable');
    expect(err.message).toMatch(/redirected more than 5 times/);
  });

  it('checks the address of every redirect hop, literal or resolved', async () => {
    expect((await failure(`${base}/to-loopback-2`)).code).toBe('input_url_blocked');
    const resolve = async (host: string) => [{ address: host === 'sneaky.test' ? '127.0.0.2' : '127.0.0.1', family: 4 }];
    expect((await failure(`${base}/to-name`, { resolve })).code).toBe('input_url_blocked');
    expect(checked).toContain('127.0.0.2');
  });

  it('refuses redirects to cloud metadata and private networks before connecting', async () => {
    checked.length = 0;
    const metadata = await failure(`${base}/to-metadata`);
    expect(metadata.code).toBe('input_url_blocked');
    expect(metadata.message).toMatch(/169\.254\.169\.254/);
    const resolve = async () => [{ address: '169.254.169.254', family: 4 }];
    expect((await failure(`${base}/to-metadata-name`, { resolve: async (h) => (h === 'metadata.test' ? resolve() : [{ address: '127.0.0.1', family: 4 }]) })).code).toBe('input_url_blocked');
    expect((await failure(`${base}/to-private`)).code).toBe('input_url_blocked');
    expect((await failure(`${base}/to-mapped`)).code).toBe('input_url_blocked');
    expect(checked).toEqual(expect.arrayContaining(['169.254.169.254', '10.0.0.1']));
  });

  it('accepts only http and https, also in redirects', async () => {
    expect((await failure('ftp://127.0.0.1/x')).code).toBe('input_url_invalid');
    expect((await failure('not a url')).code).toBe('input_url_invalid');
    expect((await failure(`${base}/to-file`)).code).toBe('input_url_invalid');
  });

  it('refuses a body larger than maxBytes, declared or streamed', async () => {
    const declared = await failure(`${base}/big-declared`);
    expect(declared.code).toBe('input_too_large');
    expect(declared.message).toMatch(/100000 bytes/);
    expect((await failure(`${base}/big-chunked`)).code).toBe('input_too_large');
  });

  it('gives up on a server that stalls, before or during the body', async () => {
    const started = Date.now();
    expect((await failure(`${base}/stall`, { stallMs: 300 })).code).toBe('input_timeout');
    expect((await failure(`${base}/silent`, { stallMs: 300 })).code).toBe('input_timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('enforces the overall timeout even when bytes keep trickling in', async () => {
    const err = await failure(`${base}/trickle`, { timeoutMs: 400, maxBytes: 1e9 });
    expect(err.code).toBe('input_timeout');
    expect(err.message).toMatch(/400 ms/);
  });

  it('reports a 4xx as a permanent HTTP error, 5xx and refused connections as (retryable) unreachable', async () => {
    const missing = await failure(`${base}/missing`);
    expect(missing.code).toBe('input_http_error');
    expect(missing.message).toMatch(/404/);
    const broken = await failure(`${base}/broken`);
    expect(broken.code).toBe('input_unreachable');
    expect(broken.message).toMatch(/503/);
    const closed = createServer();
    await listenOn(closed);
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await failure(`http://127.0.0.1:${closedPort}/`);
    expect(refused.code).toBe('input_unreachable');
    expect(refused.message).toMatch(/ECONNREFUSED/);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect((await failure(`${base}/trickle`, { signal: controller.signal, maxBytes: 1e9 })).code).toBe('cancelled');
  });
});

describe('guardedLookup', () => {
  const lookupWith = (addresses: string[]) =>
    new Promise<unknown>((resolve) => {
      const lookup = guardedLookup(async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
      lookup('media.example', { all: true }, (err, result) => resolve(err ?? result));
    });

  it('refuses a name when any of its addresses is private', async () => {
    const err = await lookupWith(['93.184.215.14', '10.0.0.1']);
    expect(err).toBeInstanceOf(RetakeError);
    expect((err as RetakeError).code).toBe('input_url_blocked');
    expect((await lookupWith(['fd00:ec2::254'])) as RetakeError).toMatchObject({ code: 'input_url_blocked' });
  });

  it('passes public addresses through', async () => {
    expect(await lookupWith(['93.184.215.14', '2606:4700::6810:84e5'])).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700::6810:84e5', family: 6 },
    ]);
  });
});
