/**
 * The `retake` CLI as a user runs it: real processes (`node bin/retake.js ...`), a
 * temp data dir, real FFmpeg and a real listening server.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyService } from '../src/keys/index.ts';
import { openStore } from '../src/store/index.ts';
import { MODEL_ID, writeModelsFile } from './support/comfyui/models-file.ts';

const BIN = resolve('bin/retake.js');
const PORTRAIT = resolve('test/fixtures/media/portrait.mp4');
const RABBIT = resolve('test/fixtures/media/rabbit.mp4');

let dataDir: string;
let workTmp: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'retake-cli-data-'));
  // The CLI's own temp files go here, so a test can see that none are left behind.
  workTmp = await mkdtemp(join(tmpdir(), 'retake-cli-tmp-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(workTmp, { recursive: true, force: true });
});

/** retake's temp files still in the CLI's temp dir (tsx keeps its compile cache there too). */
async function leftovers(): Promise<string[]> {
  return (await readdir(workTmp)).filter((name) => name.startsWith('retake'));
}

function env(): NodeJS.ProcessEnv {
  return { ...process.env, RETAKE_DATA_DIR: dataDir, TMPDIR: workTmp, RETAKE_LOG_LEVEL: 'silent', RETAKE_BOOTSTRAP_KEY: '' };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...env(), ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

async function probe(file: string): Promise<{ width: number; height: number; codec: string }> {
  const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,codec_name', '-of', 'json', file]);
  const s = (JSON.parse(stdout) as { streams: { width: number; height: number; codec_name: string }[] }).streams[0]!;
  return { width: s.width, height: s.height, codec: s.codec_name };
}

/** Resolves with the first match of `pattern` in the child's output so far and to come. */
function waitForOutput(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  return new Promise((done, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error(`no ${String(pattern)} in ${stream} within ${timeoutMs} ms:\n${text}`)), timeoutMs);
    child[stream]!.on('data', (c: Buffer) => {
      text += c.toString();
      const m = pattern.exec(text);
      if (m) {
        clearTimeout(timer);
        done(m);
      }
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

describe('retake keys', () => {
  it('creates a key whose secret authenticates until it is revoked', async () => {
    const created = await cli(['keys', 'create', '--name', 'ci', '--hdr', '--budget', '12.5', '--json']);
    expect(created.code).toBe(0);
    const { key, secret } = JSON.parse(created.stdout) as { key: { id: string; hdr_access: boolean; budget_usd: number }; secret: string };
    expect(key).toMatchObject({ hdr_access: true, budget_usd: 12.5 });

    const listed = await cli(['keys', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/ci\s+rtk_\S+\s+yes\s+\$12\.50/);
    expect(listed.stdout).not.toContain(secret);

    const store = await openStore({ dataDir });
    try {
      const keys = createKeyService(store);
      expect((await keys.authenticate(secret))?.id).toBe(key.id);
      const revoked = await cli(['keys', 'revoke', 'ci']);
      expect(revoked.code).toBe(0);
      // A running server remembers an authenticated key for a few seconds (see the key
      // service's tests); one that has not seen it since refuses it at once.
      expect(await createKeyService(store).authenticate(secret)).toBeUndefined();
    } finally {
      await store.close();
    }

    const again = await cli(['keys', 'revoke', 'ci']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('no active key');
  });

  it('says which data folder it uses, and refuses to read one that has no database', async () => {
    const elsewhere = join(dataDir, 'not-served-from-here');
    const listed = await cli(['keys', 'list'], { RETAKE_DATA_DIR: elsewhere });
    expect(listed.code).toBe(2);
    expect(listed.stderr).toContain(`no retake database in ${elsewhere}`);
    expect(listed.stderr).toContain('RETAKE_DATA_DIR');
    expect(listed.stdout).not.toContain('No API keys yet');
    expect(existsSync(elsewhere)).toBe(false);
    const revoked = await cli(['keys', 'revoke', 'x'], { RETAKE_DATA_DIR: elsewhere });
    expect(revoked.code).toBe(2);
    expect(existsSync(elsewhere)).toBe(false);

    const created = await cli(['keys', 'create', '--name', 'first', '--json']);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain(`using the data folder ${dataDir}`);
    expect(() => JSON.parse(created.stdout) as unknown).not.toThrow();
    const again = await cli(['keys', 'list']);
    expect(again.stderr).toContain(`using the data folder ${dataDir} (SQLite retake.db)`);
    expect(again.stdout).toMatch(/first\s+rtk_/);
  });

  it('rejects a budget that is not an amount', async () => {
    const run = await cli(['keys', 'create', '--name', 'x', '--budget', 'lots']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--budget');
  });
});

describe('retake models', () => {
  it('lists both models with their price', async () => {
    const run = await cli(['models']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/retake-local\s.*free/);
    expect(run.stdout).toMatch(/luma-ray-v3-2-video-to-video\s.*\$0\.72/);
  });

  it('lists the models RETAKE_MODELS_FILE declares, with their price and servers, and refuses a broken file', async () => {
    const file = await writeModelsFile(dataDir, ['http://gpu-a:8188', 'http://gpu-b:8188'], [], { price_per_second: 0.05 });
    const run = await cli(['models'], { RETAKE_MODELS_FILE: file });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/retake-local\s.*free/);
    expect(run.stdout).toMatch(new RegExp(`${MODEL_ID}\\s+Wan 2\\.1 VACE 14B \\(ComfyUI\\)\\s+\\$0\\.25 per 5 s.*ComfyUI at http://gpu-a:8188, http://gpu-b:8188`));
    const broken = await cli(['models'], { RETAKE_MODELS_FILE: join(dataDir, 'missing.yaml') });
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain('RETAKE_MODELS_FILE: cannot read');
  });
});

describe('retake edit', () => {
  it('renders a local file to an MP4 with the requested short side', async () => {
    const out = join(dataDir, 'out.mp4');
    const run = await cli(['edit', PORTRAIT, '--prompt', 'watercolor, warm', '--resolution', '540p', '-o', out]);
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Wrote ${out}`);
    // The source is 720x1080: a 540p short side keeps the aspect.
    expect(await probe(out)).toMatchObject({ width: 540, height: 810 });
    expect(await leftovers()).toEqual([]);
  });

  it('exits 2 and names every invalid field without rendering', async () => {
    const out = join(dataDir, 'never.mp4');
    const run = await cli(['edit', PORTRAIT, '--prompt', 'sepia', '--hdr', '--edit-strength', 'flex_2', '--auto-controls', '-o', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/resolution.*720p or 1080p/);
    expect(run.stderr).toMatch(/edit_strength.*auto_controls/);
    expect(existsSync(out)).toBe(false);
  });

  it('takes --keyframe FRAME:FILE and TIME:FILE, converting a time with the source\'s frame rate, and refuses what cannot be (exit 2, nothing rendered)', async () => {
    const out = join(dataDir, 'never.mp4');
    const image = resolve('test/fixtures/media/london.jpg');
    const malformed = await cli(['edit', PORTRAIT, '--prompt', 'noir', '--keyframe', `two:${image}`, '-o', out]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/--keyframe two:.*expected FRAME:FILE/);
    // portrait.mp4 is 30 frames at 29.97 fps: 0.5 s is frame 14, 100 s would be frame 2997.
    const past = await cli(['edit', PORTRAIT, '--prompt', 'noir', '--keyframe', `0:${image}`, '--keyframe', `0.5s:${image}`, '--keyframe', `100s:${image}`, '-o', out]);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/keyframes\[2\] is at frame 2997, but the source has frames 0 to 29/);
    expect(past.stderr).not.toMatch(/keyframes\[1\]/);
    const twice = await cli(['edit', PORTRAIT, '--prompt', 'noir', '--keyframe', `14:${image}`, '--keyframe', `0.5s:${image}`, '-o', out]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/keyframes \(--keyframe\).*keyframes\[1\] and keyframes\[0\] are both at frame 14/);
    const beside = await cli(['edit', PORTRAIT, '--prompt', 'noir', '--image', image, '--keyframe', `3:${image}`, '-o', out]);
    expect(beside.code).toBe(2);
    expect(beside.stderr).toMatch(/cannot be combined with input_image/);
    expect(existsSync(out)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('exits 2 for a missing input file or a missing -o', async () => {
    const missing = await cli(['edit', join(dataDir, 'nope.mp4'), '--prompt', 'noir', '-o', join(dataDir, 'o.mp4')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('not found');
    const noOutput = await cli(['edit', PORTRAIT, '--prompt', 'noir']);
    expect(noOutput.code).toBe(2);
    expect(noOutput.stderr).toContain('--output');
  });

  it('stops the render on Ctrl-C and leaves no output or temp files', async () => {
    const out = join(dataDir, 'cancelled.mp4');
    const child = spawn(process.execPath, [BIN, 'edit', RABBIT, '--prompt', 'oil painting', '--resolution', '1080p', '--duration', '10s', '-o', out], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForOutput(child, 'stderr', /%/);
    child.kill('SIGINT');
    const started = Date.now();
    expect(await exitOf(child)).toBe(130);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(existsSync(out)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });
});

describe('retake serve', () => {
  it('prints a dev key on first start, answers requests with it, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--role', 'api'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const keyMatch = waitForOutput(child, 'stdout', /Bearer (rtk_\S+)"/);
      const url = (await waitForOutput(child, 'stdout', /listening on (http:\/\/\S+)/))[1]!;
      const secret = (await keyMatch)[1]!;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const models = await fetch(`${url}/api/ai/queue`, { headers: { authorization: `Bearer ${secret}` } });
      expect(models.status).toBe(200);
      child.kill('SIGTERM');
      expect(await exitOf(child)).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }

    // A second start finds the key and prints none.
    const again = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--role', 'api'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    again.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    try {
      await waitForOutput(again, 'stdout', /listening on/);
      again.kill('SIGTERM');
      expect(await exitOf(again)).toBe(0);
      expect(stdout).not.toContain('rtk_');
    } finally {
      again.kill('SIGKILL');
    }
  });
});
