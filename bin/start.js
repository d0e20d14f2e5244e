#!/usr/bin/env node
// What `npm start` runs: compile the server to dist/ only when a source is newer than
// the last build, then serve from the compiled files in this same process. Being one
// process matters: npm passes SIGINT/SIGTERM to the command it started, and a shell
// or a second node in between would die and leave the server running. Should the
// process that started us go away without a signal (a shell that did not pass it on),
// the server is stopped as if it had been sent SIGTERM.
// Extra arguments go to `retake serve`: `npm start -- --port 9000`. `--build` compiles
// (whether or not anything changed) and stops there: that is `npm run build:server`.
// `--build-if-stale` compiles only when a source is newer, and stops (the benchmarks).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const stamp = join(root, 'dist', '.build-stamp');
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** Newest modification time (ms) of a file or of any file below a folder. */
function newest(path) {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

function upToDate() {
  const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined || !existsSync(join(root, 'dist', 'cli', 'main.js'))) return false;
  return inputs.every((input) => newest(join(root, input)) <= built);
}

const buildOnly = process.argv[2] === '--build' || process.argv[2] === '--build-if-stale';
if (process.argv[2] === '--build' || !upToDate()) {
  if (!buildOnly) process.stdout.write('retake: compiling the server (sources changed since the last build)\n');
  const startedAt = new Date();
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  // Stamped with the time the build began, so a file saved during the build counts as newer.
  writeFileSync(stamp, '');
  utimesSync(stamp, startedAt, startedAt);
}
if (buildOnly) process.exit(0);

const parent = process.ppid;
const watch = setInterval(() => {
  if (process.ppid !== parent) {
    clearInterval(watch);
    process.kill(process.pid, 'SIGTERM');
  }
}, 1000);
watch.unref();

process.argv = [process.argv[0], join(root, 'dist', 'cli', 'main.js'), 'serve', ...process.argv.slice(2)];
await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href);
