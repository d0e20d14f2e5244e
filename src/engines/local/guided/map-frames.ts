/**
 * The guided child's mapping stage: raw frames in (the decoder's output), mapped frames
 * out (the encoder's input), in order. Mapping is the costly part of a guided render
 * (a 540p frame is about 0.3 s of CPU), so frames go in turn to several worker threads
 * (map-worker.ts) and are written back in their original order. Threads rather than
 * processes: one process group to kill on cancel, one Node runtime in memory, and
 * frames handed over without a copy. At most `2 × threads` frames are in flight, and
 * reading stops while the encoder is behind, so memory stays bounded whatever the
 * length of the clip.
 */
import { once } from 'node:events';
import { startThread } from './start-thread.ts';
import type { MapRequest, MapResult, MapWorkerData } from './map-worker.ts';

export interface MapFramesOptions extends MapWorkerData {
  /** Worker threads; at least 1. */
  threads: number;
  /** Written as frame 0 instead of mapping it (the image itself); default none. */
  first?: Uint8Array | undefined;
  input: AsyncIterable<Buffer>;
  output: NodeJS.WritableStream;
}

/** Frames sent to each thread before waiting for the oldest result. */
const QUEUE_PER_THREAD = 2;

/** Map every frame of `input` to `output`; resolves when all are written. */
export async function mapFrames(options: MapFramesOptions): Promise<void> {
  const { width, height, threads } = options;
  const size = width * height * 3;
  const waiting = new Map<number, { resolve: (frame: Uint8Array) => void; reject: (err: Error) => void }>();
  let failure: Error | undefined;
  const fail = (err: Error): void => {
    failure ??= err;
    for (const pending of waiting.values()) pending.reject(failure);
    waiting.clear();
  };
  const workers = Array.from({ length: Math.max(1, threads) }, () => {
    const worker = startThread('map-worker', { modelPath: options.modelPath, width, height, strength: options.strength, planPath: options.planPath } satisfies MapWorkerData);
    worker.on('message', ({ index, frame }: MapResult) => {
      waiting.get(index)?.resolve(new Uint8Array(frame));
      waiting.delete(index);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => code !== 0 && fail(new Error(`a mapping thread exited with code ${code}`)));
    return worker;
  });

  const mapped = (index: number, frame: ArrayBufferLike): Promise<Uint8Array> => {
    if (failure) return Promise.reject(failure);
    const result = new Promise<Uint8Array>((resolve, reject) => waiting.set(index, { resolve, reject }));
    const request: MapRequest = { index, frame: frame as ArrayBuffer };
    workers[index % workers.length]!.postMessage(request, [request.frame]);
    return result;
  };
  const write = async (frame: Uint8Array): Promise<void> => {
    if (!options.output.write(frame)) await once(options.output, 'drain');
  };

  // Results in frame order; the oldest is written before more frames are read.
  const queue: Promise<Uint8Array>[] = [];
  const limit = workers.length * QUEUE_PER_THREAD;
  try {
    // Each frame is gathered in a buffer of its own (not a slice of Node's pool), so it
    // can be transferred; chunks are copied in once, never concatenated.
    let frame = new Uint8Array(size);
    let filled = 0;
    let index = 0;
    for await (const chunk of options.input) {
      for (let at = 0; at < chunk.length;) {
        const take = Math.min(size - filled, chunk.length - at);
        frame.set(chunk.subarray(at, at + take), filled);
        filled += take;
        at += take;
        if (filled < size) break;
        queue.push(index === 0 && options.first ? Promise.resolve(Uint8Array.from(options.first)) : mapped(index, frame.buffer));
        frame = new Uint8Array(size);
        filled = 0;
        index++;
        while (queue.length >= limit) await write(await queue.shift()!);
      }
    }
    while (queue.length > 0) await write(await queue.shift()!);
  } finally {
    // Results no one will wait for any more must not become unhandled rejections.
    for (const result of queue) result.catch(() => undefined);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
