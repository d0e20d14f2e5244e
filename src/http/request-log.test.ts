import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetake } from '../app.ts';
import { loadConfig } from '../config.ts';
import type { Engine } from '../engines/types.ts';
import { createLogger } from '../logger.ts';
import type { Retake } from '../retake.ts';
import { buildServer } from '../app.ts';

interface Line { level: number; msg: string; [field: string]: unknown }

/** A stream that keeps every line written to it. */
function capture(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** Finishes at once with a one-byte "video". */
const quickEngine: Engine = {
  id: 'quick',
  async render(job) {
    const path = join(job.workDir, 'out.mp4');
    await writeFile(path, 'x');
    return { outputs: [{ kind: 'video', path, contentType: 'video/mp4' }], warnings: [] };
  },
};

describe('request and job logs', () => {
  let dataDir: string;
  let retake: Retake;
  let app: FastifyInstance;
  let auth: Record<string, string>;
  const out = capture();
  const lines = (): Line[] => out.text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'retake-log-'));
    const config = loadConfig({ dataDir, logLevel: 'info', allowPrivateUrls: true }, {});
    retake = await createRetake(config, {
      role: 'all', pollMs: 20, engines: { local: quickEngine }, logger: createLogger({ level: 'info', pretty: false, destination: out.stream }),
    });
    app = await buildServer(retake);
    app.get('/boom', async () => {
      throw new Error('a bug');
    });
    await app.ready();
    const { secret } = await retake.keys.create({ name: 'log', hdrAccess: false });
    auth = { authorization: `Bearer ${secret}` };
  });
  afterAll(async () => {
    await app.close();
    await retake.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The log lines one request wrote. */
  async function linesOf(request: InjectOptions): Promise<Line[]> {
    const before = lines().length;
    await app.inject(request);
    return lines().slice(before).filter((l) => l.reqId !== undefined);
  }

  it('writes one info line for a successful request', async () => {
    const written = await linesOf({ method: 'GET', url: '/healthz' });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ level: 30, msg: 'request', method: 'GET', path: '/healthz', status: 200 });
    expect(written[0]!.ms).toEqual(expect.any(Number));
  });

  it("logs a client's mistake at info with its code and no stack", async () => {
    const written = await linesOf({ method: 'GET', url: '/api/ai/queue/gen_nope', headers: auth });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ level: 30, status: 404, code: 'generation_not_found' });
    expect(JSON.stringify(written[0])).not.toMatch(/stack|at .*\.ts/);
  });

  it('logs an expected 503 as a warning with its detail, without a stack', async () => {
    const written = await linesOf({ method: 'POST', url: '/api/ai/queue', headers: auth, payload: { model: 'luma-ray-v3-2-video-to-video', prompt: 'noir', input_video: 'http://127.0.0.1:9/a.mp4' } });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ level: 40, status: 503, code: 'provider_not_configured' });
    expect(written[0]!.detail).toMatch(/FAL_KEY/);
    expect(JSON.stringify(written[0])).not.toMatch(/stack/);
  });

  it('logs an unexpected failure as an error with the stack', async () => {
    const written = await linesOf({ method: 'GET', url: '/boom' });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ level: 50, status: 500, code: 'internal_error', err: { message: 'a bug' } });
    expect((written[0]!.err as { stack: string }).stack).toMatch(/a bug\n\s+at /);
  });

  it('puts the generation id on every line of a job', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/ai/queue', headers: auth, payload: { model: 'retake-local', prompt: 'noir', input_video: 'http://127.0.0.1:9/a.mp4' } });
    const id = res.json<{ generations: { generation_id: string }[] }>().generations[0]!.generation_id;
    await retake.generations.waitForTerminal(id, 10_000);
    const job = lines().filter((l) => /^generation /.test(l.msg));
    expect(job.map((l) => l.msg)).toEqual(expect.arrayContaining(['generation started', 'generation succeeded']));
    for (const line of job) expect(line.generation_id).toBe(id);
  });
});

describe('createLogger', () => {
  it('writes JSON lines when not told to pretty-print, and readable lines when it is', () => {
    const json = capture();
    createLogger({ level: 'info', pretty: false, destination: json.stream }).info({ generation_id: 'gen_1' }, 'generation started');
    expect(JSON.parse(json.text())).toMatchObject({ level: 30, msg: 'generation started', generation_id: 'gen_1' });

    const pretty = capture();
    createLogger({ level: 'info', pretty: true, destination: pretty.stream }).info({ generation_id: 'gen_1' }, 'generation started');
    expect(pretty.text()).toMatch(/INFO.*generation started/);
    expect(pretty.text()).toContain('generation_id: "gen_1"');
    expect(() => JSON.parse(pretty.text()) as unknown).toThrow();
  });
});
