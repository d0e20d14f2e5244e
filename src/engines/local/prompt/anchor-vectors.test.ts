/**
 * The shipped anchor vectors: they are what the shipped model makes of today's anchor
 * sentences (so reading a prompt gives the same family with or without them), the first
 * prompt read embeds only itself, and a file made from other anchors is not used.
 */
import { describe, expect, it } from 'vitest';
import stored from './anchor-vectors.json' with { type: 'json' };
import { ANCHOR_MODEL, anchorLists, storedAnchorVectors } from './anchor-vectors.ts';
import { interpretPrompt } from './interpret.ts';
import { createWorkerEmbedder, type SentenceEmbedder } from './sentence-embedder.ts';
import { scaled } from '../../../../test/support/deadline.ts';

describe('shipped anchor vectors', () => {
  it('match the anchors of today (run `npm run anchor-vectors` after editing them)', () => {
    expect(storedAnchorVectors(), 'anchor-vectors.json is stale: run npm run anchor-vectors').toBeDefined();
  });

  it('are the vectors the shipped model makes of each anchor sentence', async () => {
    const shipped = storedAnchorVectors()!;
    const model = createWorkerEmbedder();
    let largest = 0;
    for (const [style, sentences] of anchorLists()) {
      const fresh = await model.embed(sentences);
      fresh.forEach((vector, i) => {
        const kept = shipped.get(style)![i]!;
        for (let d = 0; d < vector.length; d++) largest = Math.max(largest, Math.abs(vector[d]! - kept[d]!));
      });
    }
    expect(largest).toBeLessThan(1e-4);
  }, scaled(120_000));

  it('spare the first prompt the anchors: only the prompt itself is embedded', async () => {
    const model = createWorkerEmbedder();
    const embedded: number[] = [];
    const counting: SentenceEmbedder = { model: ANCHOR_MODEL, embed: (texts) => (embedded.push(texts.length), model.embed(texts)) };
    const look = await interpretPrompt('a gritty 1940s detective movie', counting);
    expect(look.style).toBe('noir');
    expect(embedded[0]).toBe(1);
    expect(embedded.reduce((a, b) => a + b, 0)).toBeLessThan(30);
  }, scaled(60_000));

  it('are ignored when made from other anchors, and the anchors are embedded instead', async () => {
    expect(storedAnchorVectors({ ...stored, fingerprint: 'made from other anchors' })).toBeUndefined();
    const model = createWorkerEmbedder();
    const embedded: number[] = [];
    // Another model (no `model` mark) never gets the shipped vectors.
    const other: SentenceEmbedder = { embed: (texts) => (embedded.push(texts.length), model.embed(texts)) };
    expect((await interpretPrompt('a gritty 1940s detective movie', other)).style).toBe('noir');
    expect(embedded.reduce((a, b) => a + b, 0)).toBeGreaterThan(anchorLists().flatMap(([, s]) => s).length);
  }, scaled(60_000));
});
