#!/usr/bin/env node
/**
 * `npm install` runs this: builds the compiled pixel stage (binding.gyp, the C under
 * src/engines/local/pixel-stage/native) with node-gyp. When no Node headers are
 * configured, it points node-gyp at the running Node's own (they ship beside the binary
 * in Node's release archives and its npm packages), so the build downloads nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const env = { ...process.env };
const prefix = dirname(dirname(process.execPath));
if (!env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
// npm puts its own node-gyp on PATH for install scripts.
const result = spawnSync('node-gyp', ['rebuild'], { stdio: 'inherit', env });
if (result.error) console.error(`could not run node-gyp to build the pixel stage: ${result.error.message}`);
process.exit(result.status ?? 1);
