/**
 * The marks child: `child <kernel> <width> <height> <schedule-json>` reads raw RGB
 * frames of `width`×`height` on stdin and writes each, through the kernel, on stdout in
 * order, until stdin ends. The schedule is the render plan's list of `{ from, params }`
 * (render-plan.ts MarksSegment): frame i gets the params of the last entry with
 * from ≤ i. The kernel runs in C on all cores (native/marks.c), in this process, never
 * on a server's event loop. Started by stage.ts; killed with its process group on cancel.
 *
 * The process does nothing but this loop, so it reads and writes its pipes with blocking
 * calls straight into and out of two frame buffers made once: no stream chunks to copy
 * together, no new output array (and its fresh pages) per frame. The kernel runs while
 * the decoder and the encoder, in their own processes, fill and drain the pipes.
 */
import { readSync, writeSync } from 'node:fs';
import { openMarksRun } from '../pixel-stage/index.ts';
import { paramsAt, type MarksSegment } from '../render-plan.ts';

const STDIN = 0, STDOUT = 1;
const pause = new Int32Array(new SharedArrayBuffer(4));

/** Whether `err` says a non-blocking pipe has nothing yet (or no room): wait and try again. */
function wouldBlock(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') return false;
  Atomics.wait(pause, 0, 0, 1);
  return true;
}

/** Fill `frame` from stdin; false when stdin ends first (a partial last frame is dropped). */
function readFrame(frame: Uint8Array): boolean {
  for (let filled = 0; filled < frame.length;) {
    let got: number;
    try {
      got = readSync(STDIN, frame, filled, frame.length - filled, null);
    } catch (err) {
      if (wouldBlock(err)) continue;
      if ((err as NodeJS.ErrnoException).code === 'EOF') return false;
      throw err;
    }
    if (got === 0) return false;
    filled += got;
  }
  return true;
}

/** Write all of `frame` to stdout; false when the reader is gone (the encoder stopped). */
function writeFrame(frame: Uint8Array): boolean {
  for (let sent = 0; sent < frame.length;) {
    try {
      sent += writeSync(STDOUT, frame, sent, frame.length - sent);
    } catch (err) {
      if (wouldBlock(err)) continue;
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') return false;
      throw err;
    }
  }
  return true;
}

function main(args: string[]): void {
  const [kernel, w, h, json] = args;
  const width = Number(w), height = Number(h);
  if (!kernel || !(width > 0) || !(height > 0)) throw new Error('usage: child <kernel> <width> <height> <schedule-json>');
  const schedule = JSON.parse(json ?? '[]') as MarksSegment[];
  const run = openMarksRun(kernel);
  const size = width * height * 3;
  const frame = new Uint8Array(size), out = new Uint8Array(size);
  try {
    for (let index = 0; readFrame(frame); index++) {
      run.frame(frame, width, height, paramsAt(schedule, index), out);
      // A closed pipe means the encoder stopped (cancel or failure); the parent reports why.
      if (!writeFrame(out)) return;
    }
  } finally {
    run.close();
  }
}

try {
  main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
