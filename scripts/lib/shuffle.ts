/**
 * A fixed shuffle (mulberry32 seeded by a text), so a panel or a set of pairs made again
 * from the same names comes out in the same order.
 */
export function shuffled<T>(items: T[], seedText: string): T[] {
  const random = seededRandom(seedText);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Numbers in 0..1 from mulberry32, seeded by a hash of `seedText`. */
export function seededRandom(seedText: string): () => number {
  let seed = [...seedText].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 2654435761) >>> 0, 7);
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
