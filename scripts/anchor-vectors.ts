/**
 * Regenerates src/engines/local/prompt/anchor-vectors.json from the family anchors with
 * the shipped sentence model (`npm run anchor-vectors`); run it after editing
 * family-anchors.ts. The interpret tests fail while the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { anchorLists, encodeAnchorVectors, type AnchorVectors } from '../src/engines/local/prompt/anchor-vectors.ts';
import { createWorkerEmbedder } from '../src/engines/local/prompt/sentence-embedder.ts';

const embedder = createWorkerEmbedder();
const vectors: AnchorVectors = new Map();
for (const [style, sentences] of anchorLists()) vectors.set(style, await embedder.embed(sentences));
const path = fileURLToPath(new URL('../src/engines/local/prompt/anchor-vectors.json', import.meta.url));
writeFileSync(path, `${JSON.stringify(encodeAnchorVectors(vectors), null, 1)}\n`);
console.log(`wrote ${[...vectors.values()].reduce((n, list) => n + list.length, 0)} anchor vectors to ${path}`);
