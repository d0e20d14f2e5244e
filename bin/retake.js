#!/usr/bin/env node
// Entry point of the `retake` CLI. The sources are TypeScript; tsx's loader runs them
// directly so a clone needs no build step (`npx retake ...`).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
