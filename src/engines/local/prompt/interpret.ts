/**
 * A prompt understood as a person meant it: exact words first (read-words.ts), then the
 * prompt's meaning from the sentence model (sentence-embedder.ts) against each family's
 * description (family-anchors.ts, vectors shipped precomputed in anchor-vectors.ts),
 * weighed together (choose-look.ts). When the meaning
 * alone decided the family, the words that carried it are found by leaving each out in
 * turn and seeing how far the family's similarity falls, so `used_words` names them
 * truthfully. Without the model (it failed to load) the exact words still work.
 */
import { LOOK_STYLES, type LookStyle } from '../vocabulary.ts';
import { ANCHOR_MODEL, anchorLists, storedAnchorVectors, type AnchorVectors } from './anchor-vectors.ts';
import { chooseLook, type Look, type Similarities } from './choose-look.ts';
import { readWords } from './read-words.ts';
import { sharedEmbedder, type SentenceEmbedder } from './sentence-embedder.ts';

export interface Interpretation extends Look {
  /** Set when the sentence model could not be used and only exact words were read. */
  model_warning?: string;
}

/**
 * A word whose removal lowers the chosen family's similarity by at least this much is
 * one that decided it (the strongest such word always counts).
 */
export const ATTRIBUTION_DROP = 0.03;
/** Longest prompt text embedded; the rest adds little but time. */
const MAX_EMBEDDED_CHARS = 600;
/** Most words tried one at a time for attribution. */
const MAX_ATTRIBUTED_WORDS = 24;

const anchorCache = new WeakMap<SentenceEmbedder, Promise<AnchorVectors>>();

function anchorsFor(embedder: SentenceEmbedder): Promise<AnchorVectors> {
  let cached = anchorCache.get(embedder);
  const shipped = !cached && embedder.model === ANCHOR_MODEL ? storedAnchorVectors() : undefined;
  if (shipped) {
    cached = Promise.resolve(shipped);
    anchorCache.set(embedder, cached);
  }
  if (!cached) {
    const lists = anchorLists();
    // One family per call: the model pads a batch to its longest sentence, and one
    // batch of every anchor takes several times longer than fifteen small ones.
    cached = Promise.all(lists.map(async ([style, sentences]) => [style, await embedder.embed(sentences)] as const))
      .then((entries) => new Map(entries));
    // A failed load is retried on the next prompt rather than remembered forever.
    cached.catch(() => anchorCache.delete(embedder));
    anchorCache.set(embedder, cached);
  }
  return cached;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

/** Similarity to a family: to its nearest anchor sentence (a family has many ways in). */
function similarities(vector: Float32Array, anchors: AnchorVectors): Similarities {
  const entries = LOOK_STYLES.map((style) => [style, Math.max(...(anchors.get(style) ?? []).map((a) => dot(a, vector)))] as const);
  return Object.fromEntries(entries) as Record<LookStyle, number>;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `prompt` without `word` (whole word, any case). */
function without(prompt: string, word: string): string {
  return prompt.replace(new RegExp(`(?<![a-z0-9])${escapeRegExp(word)}(?![a-z0-9])`, 'gi'), ' ').replace(/\s+/g, ' ').trim();
}

/**
 * Interpret `prompt`. `embedder` defaults to the process-wide sentence model; pass
 * `null` to read exact words only.
 */
export async function interpretPrompt(prompt: string, embedder: SentenceEmbedder | null = sharedEmbedder()): Promise<Interpretation> {
  const read = readWords(prompt);
  if (!embedder) return chooseLook(prompt, read);
  const text = prompt.slice(0, MAX_EMBEDDED_CHARS);
  try {
    const anchors = await anchorsFor(embedder);
    const [vector] = await embedder.embed([text]);
    if (!vector) throw new Error('the sentence model returned no vector');
    const look = chooseLook(prompt, read, similarities(vector, anchors));
    if (look.decided_by !== 'meaning') return look;

    const candidates = look.ignored_words.filter((w) => read.unknown.includes(w)).slice(0, MAX_ATTRIBUTED_WORDS);
    const own = (v: Float32Array): number => Math.max(...(anchors.get(look.style) ?? []).map((a) => dot(a, v)));
    const full = own(vector);
    const drops = (await embedder.embed(candidates.map((w) => without(text, w)))).map((v) => full - own(v));
    const strongest = Math.max(...drops);
    const deciding = new Set(candidates.filter((_, i) => (drops[i] ?? 0) >= Math.min(ATTRIBUTION_DROP, strongest) && (drops[i] ?? 0) > 0));
    const lower = prompt.toLowerCase();
    const order = (words: string[]): string[] => [...words].sort((a, b) => lower.indexOf(a) - lower.indexOf(b));
    return {
      ...look,
      used_words: order([...look.used_words, ...deciding]),
      ignored_words: look.ignored_words.filter((w) => !deciding.has(w)),
    };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ...chooseLook(prompt, read), model_warning: `The sentence model is unavailable (${reason}); only exact style words were read` };
  }
}

/** The look of `prompt` from exact words only: synchronous, for previews and tools. */
export function promptToLook(prompt: string): Look {
  return chooseLook(prompt, readWords(prompt));
}
