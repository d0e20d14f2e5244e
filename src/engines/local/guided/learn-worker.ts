/**
 * The thread of the guided child that fits the mapping on the image as it stands while
 * the main thread aligns it (learn.ts learnFromKeyframeBeside): frame 0 and the image
 * in, the fit out.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fitKeyframe, type KeyframeFit } from './learn.ts';

export interface LearnWorkerData {
  width: number;
  height: number;
  source: Uint8Array;
  image: Uint8Array;
}

const { width, height, source, image } = workerData as LearnWorkerData;
const fit: KeyframeFit = fitKeyframe({ width, height, data: source }, { width, height, data: image }, undefined);
parentPort?.postMessage(fit);
