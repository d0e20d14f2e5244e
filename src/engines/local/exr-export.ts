/**
 * The EXR sidecar: FFmpeg writes one half-float frame per file; this stamps each with
 * the ACES2065-1 chromaticities (FFmpeg cannot) and packs them into one zip beside the
 * MP4. The zip is written with yazl (small, no dependencies, streams, writes ZIP64 for
 * large sidecars) rather than a `zip` binary that a user's machine may lack. Frames are
 * stored, not deflated: each EXR is already zip-compressed inside.
 */
import { createWriteStream } from 'node:fs';
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { RetakeError } from '../../errors/index.ts';
import { chromaticitiesAttribute, setExrAttributes } from './exr-header.ts';
import { EXR_GAMUT } from './hdr.ts';

/** File names FFmpeg gives the frames (image2 pattern) and their zip entries. */
export const EXR_FRAME_PATTERN = 'frame_%05d.exr';

export interface PackExrOptions {
  /** Directory holding only the rendered frames. */
  framesDir: string;
  /** Final zip path; written under a temp name and renamed into place. */
  zipPath: string;
  signal?: AbortSignal | undefined;
}

/**
 * Stamp every frame in `framesDir` with AP0 chromaticities and zip them into `zipPath`.
 * Returns the number of frames. The frames directory is removed either way.
 */
export async function packExrFrames({ framesDir, zipPath, signal }: PackExrOptions): Promise<number> {
  const partial = `${zipPath}.partial`;
  try {
    const names = (await readdir(framesDir)).filter((n) => n.endsWith('.exr')).sort();
    if (names.length === 0) throw new RetakeError('render_failed', 'FFmpeg wrote no EXR frames');
    const chromaticities = chromaticitiesAttribute(EXR_GAMUT);
    for (const name of names) {
      if (signal?.aborted) throw new RetakeError('cancelled', 'Generation was cancelled');
      const path = join(framesDir, name);
      await writeFile(path, setExrAttributes(await readFile(path), [chromaticities]));
    }
    const zip = new yazl.ZipFile();
    for (const name of names) zip.addFile(join(framesDir, name), name, { compress: false });
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(partial), { signal });
    await rename(partial, zipPath);
    return names.length;
  } catch (err) {
    await rm(partial, { force: true });
    if (signal?.aborted) throw new RetakeError('cancelled', 'Generation was cancelled');
    throw err;
  } finally {
    await rm(framesDir, { recursive: true, force: true });
  }
}
