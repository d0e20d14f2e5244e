import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPixelStage } from './index.ts';

describe('loadPixelStage', () => {
  it('loads the addon npm install built', () => {
    const { addon, problem } = loadPixelStage();
    expect(problem).toBeUndefined();
    expect(typeof addon?.map).toBe('function');
    expect(typeof addon?.predict).toBe('function');
  });

  it('names the missing file by its whole path and says how to build it', () => {
    const missing = join(tmpdir(), 'no-such-dir', 'build', 'Release', 'pixel_stage.node');
    const { addon, problem } = loadPixelStage(missing);
    expect(addon).toBeUndefined();
    expect(problem).toBe(`${missing} is not built (run npm install, or npm rebuild, in the package)`);
  });

  it('says why a file that is not a loadable addon cannot be used', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'retake-addon-')), 'pixel_stage.node');
    writeFileSync(path, 'not a shared library');
    const { addon, problem } = loadPixelStage(path);
    expect(addon).toBeUndefined();
    expect(problem).toMatch(/does not load: .+/);
  });

  it('is turned off by RETAKE_PIXEL_STAGE=reference', () => {
    expect(loadPixelStage(undefined, { RETAKE_PIXEL_STAGE: 'reference' }).problem).toMatch(/RETAKE_PIXEL_STAGE=reference/);
  });
});
