/**
 * The package as a release hands it out: `npm pack` (whose `prepare` builds the
 * Workbench, the client's types and the compiled server) makes a tarball; an empty
 * project installs it with npm; there the `retake` binary lists the models and edits a
 * clip, `retake/client` answers a served retake at run time, and its types compile a
 * TypeScript file (and refuse a misspelt option). The tarball is made from a copy of
 * the sources, so the build does not touch the checkout's dist/ while other suites use
 * it. Dependencies come from npm's cache where it has them (`--prefer-offline`; CI's
 * `npm ci` filled it), otherwise from the npm registry.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../src/api/testing.ts';
import { scaled } from './support/deadline.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PORTRAIT = join(ROOT, 'test/fixtures/media/portrait.mp4');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
/** What `npm pack` needs to build the package: its files and the build's inputs. */
const SOURCES = ['package.json', 'package-lock.json', 'binding.gyp', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'docs', 'bin', 'src', 'scripts'];
const MINUTES = 60_000;

let work: string;
let project: string;
let h: Harness;

/** The environment of a user's shell: none of the npm_* variables of the `npm test` running this. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return { ...env, RETAKE_LOG_LEVEL: 'silent', ...extra };
}

async function run(command: string, args: string[], cwd: string, timeout: number, env = userEnv()): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, { cwd, env, timeout, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'retake-package-'));
  const tree = join(work, 'tree');
  await mkdir(tree);
  for (const entry of SOURCES) {
    await cp(join(ROOT, entry), join(tree, entry), { recursive: true, filter: (path) => !path.includes(`${join('src', 'workbench', 'dist')}`) });
  }
  // The build's tools (Vite, openapi-typescript, TypeScript) are the checkout's dev dependencies.
  await symlink(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  const packed = await run('npm', ['pack', '--pack-destination', work], tree, scaled(10 * MINUTES));
  const tarball = join(work, packed.trim().split('\n').pop()!);

  project = join(work, 'project');
  await mkdir(project);
  const own = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
  // better-sqlite3 compiles its native part in an install script; npm asks projects to allow that.
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', allowScripts: own.allowScripts }, null, 2));
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project, scaled(20 * MINUTES));
  h = await startHarness({ listen: true });
}, scaled(40 * MINUTES));

afterAll(async () => {
  await h?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the packed tarball, installed into an empty project', () => {
  const retake = (...args: string[]): Promise<string> => run(join(project, 'node_modules/.bin/retake'), args, project, 5 * MINUTES);

  it('gives a retake binary that lists the models', async () => {
    const out = await retake('models');
    expect(out).toMatch(/^retake-local\s/m);
    expect(out).toMatch(/^luma-ray-v3-2-video-to-video\s/m);
  });

  it('gives a retake binary that edits a clip', async () => {
    const output = join(project, 'sketch.mp4');
    await retake('edit', PORTRAIT, '--prompt', 'pencil sketch', '-o', output);
    const probe = JSON.parse(await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_streams', output], project, MINUTES)) as {
      streams: { codec_type: string; width?: number; height?: number }[];
    };
    // 540p: the short side (portrait.mp4 stands upright).
    const video = probe.streams.find((s) => s.codec_type === 'video');
    expect(Math.min(video?.width ?? 0, video?.height ?? 0)).toBe(540);
  }, 5 * MINUTES);

  it('gives retake/client, which answers a served retake', async () => {
    await writeFile(join(project, 'models.js'), [
      "import { Retake } from 'retake/client';",
      'const retake = new Retake({ baseUrl: process.env.RETAKE_URL, apiKey: process.env.RETAKE_KEY });',
      'console.log((await retake.models()).data.map((model) => model.id).join(" "));',
    ].join('\n'));
    const out = await run(process.execPath, ['models.js'], project, MINUTES, userEnv({ RETAKE_URL: h.baseUrl, RETAKE_KEY: h.secret }));
    expect(out.trim().split(' ')).toContain('retake-local');
  });

  it('gives retake/client with types: a right call compiles, a misspelt option does not', async () => {
    const tsconfig = { compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, types: [] }, files: ['main.ts'] };
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(tsconfig));
    const program = (options: string): string => [
      "import { Retake, RetakeApiError } from 'retake/client';",
      `const retake = new Retake(${options});`,
      "const { generations } = await retake.queue({ model: 'retake-local', prompt: 'noir', input_video: 'https://example.com/a.mp4' });",
      'console.log(generations[0]?.generation_id, RetakeApiError.name);',
    ].join('\n');
    await writeFile(join(project, 'main.ts'), program("{ baseUrl: 'http://127.0.0.1:8787', apiKey: 'rtk_example' }"));
    await run(process.execPath, [TSC, '-p', project], project, 2 * MINUTES);
    await writeFile(join(project, 'main.ts'), program("{ baseUrl: 'http://127.0.0.1:8787', apiKye: 'rtk_example' }"));
    await expect(run(process.execPath, [TSC, '-p', project], project, 2 * MINUTES)).rejects.toThrow(/apiKye/);
  }, 5 * MINUTES);
});
