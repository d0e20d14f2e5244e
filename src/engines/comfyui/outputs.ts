/**
 * Where a finished prompt's video is in its history entry. Core `SaveVideo` lists it
 * under `images` (with `animated: [true]`), VideoHelperSuite's `VHS_VideoCombine` under
 * `gifs`, some nodes under `videos`; a video file is preferred over a still preview.
 */
import type { HistoryEntry } from './client.ts';

export interface OutputFile {
  filename: string;
  subfolder?: string | undefined;
  type?: string | undefined;
}

const VIDEO = /\.(mp4|webm|mov|mkv|gif|webp)$/i;

/** The files node `node` produced, videos first. */
export function outputFiles(entry: HistoryEntry, node: string): OutputFile[] {
  const output = entry.outputs[node];
  if (!output) return [];
  const files: OutputFile[] = [];
  for (const key of ['videos', 'gifs', 'images']) {
    const list = output[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const f = item as Partial<OutputFile>;
      if (typeof f.filename === 'string' && f.filename) files.push({ filename: f.filename, subfolder: f.subfolder, type: f.type });
    }
  }
  return files.sort((a, b) => Number(VIDEO.test(b.filename)) - Number(VIDEO.test(a.filename)));
}

/** The content type of an output by its extension. */
export function outputType(filename: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase() ?? '';
  switch (ext) {
    case 'webm': return 'video/webm';
    case 'mov': return 'video/quicktime';
    case 'mkv': return 'video/x-matroska';
    case 'gif': return 'image/gif';
    case 'webp': return 'image/webp';
    default: return 'video/mp4';
  }
}
