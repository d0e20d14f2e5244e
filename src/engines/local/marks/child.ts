/**
 * The marks child: `child <kernel> <width> <height> <schedule-json>` reads raw RGB
 * frames of `width`×`height` on stdin and writes each, through the kernel, on stdout in
 * order, until stdin ends. The schedule is the render plan's list of `{ from, params }`
 * (render-plan.ts MarksSegment): frame i gets the params of the last entry with
 * from ≤ i. The kernel runs in C on all cores (native/marks.c), in this process, never
 * on a server's event loop. Started by stage.ts; killed with its process group on cancel.
 */
import { once } from 'node:events';
import { openMarksRun } from '../pixel-stage/index.ts';
import { paramsAt, type MarksSegment } from '../render-plan.ts';

async function main(args: string[]): Promise<void> {
  const [kernel, w, h, json] = args;
  const width = Number(w), height = Number(h);
  if (!kernel || !(width > 0) || !(height > 0)) throw new Error('usage: child <kernel> <width> <height> <schedule-json>');
  const schedule = JSON.parse(json ?? '[]') as MarksSegment[];
  const run = openMarksRun(kernel);
  const size = width * height * 3;
  const frame = new Uint8Array(size);
  let filled = 0;
  let index = 0;
  try {
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length;) {
        const take = Math.min(size - filled, chunk.length - at);
        frame.set(chunk.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled < size) break;
        // A new output array per frame: the stream may still hold the previous one.
        const out = run.frame(frame, width, height, paramsAt(schedule, index), new Uint8Array(size));
        filled = 0;
        index++;
        if (!process.stdout.write(out)) await once(process.stdout, 'drain');
      }
    }
  } finally {
    run.close();
  }
}

// A closed pipe means the encoder stopped (cancel or failure); the parent reports why.
process.stdout.on('error', () => process.exit(0));
try {
  await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
