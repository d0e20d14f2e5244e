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

  it('says how to build the addon when it is missing', () => {
    const { addon, problem } = loadPixelStage(join(tmpdir(), 'no-such-dir', 'pixel_stage.node'));
    expect(addon).toBeUndefined();
    expect(problem).toMatch(/not built \(run npm install/);
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
