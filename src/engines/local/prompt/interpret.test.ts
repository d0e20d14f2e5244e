/**
 * The prompt reader with the real sentence model: prompts in users' own words (none
 * naming a family) mapped to the family a person would pick, a held-out set of
 * paraphrases kept aside while the lexicon and anchors were written, prompts that ask
 * for no look, and the interpretation a user reads.
 */
import { describe, expect, it } from 'vitest';
import { scaled } from '../../../../test/support/deadline.ts';
import { interpretPrompt } from './interpret.ts';
import type { SentenceEmbedder } from './sentence-embedder.ts';

/** Prompts in users' own words, none naming a family, each with the family a person would pick. */
export const USER_PROMPTS: readonly (readonly [string, string])[] = [
  ["like a page from a children's picture book painted with a brush", 'watercolor'],
  ['soft translucent paint on textured paper', 'watercolor'],
  ['a painted travel journal of my trip to Italy', 'watercolor'],
  ['make it look like a Van Gogh', 'oil_painting'],
  ['an old master museum piece', 'oil_painting'],
  ['thick paint on canvas with a palette knife', 'oil_painting'],
  ["like an architect's drawing on white paper", 'pencil_sketch'],
  ["a courtroom artist's drawing", 'pencil_sketch'],
  ['fine hatched lines drawn in lead on paper', 'pencil_sketch'],
  ['smudgy dark drawing with soot on rough paper', 'charcoal'],
  ['a life-drawing class study with a burnt willow stick', 'charcoal'],
  ['gloomy smeared black chalk drawing', 'charcoal'],
  ['a superhero graphic novel', 'ink_comic'],
  ['like a Frank Miller book', 'ink_comic'],
  ['Japanese manga with screentone', 'ink_comic'],
  ["like a Saturday morning kids' show", 'cartoon'],
  ['make it look like a Pixar movie', 'cartoon'],
  ['The Simpsons', 'cartoon'],
  ['an old Nintendo game', 'pixel_art'],
  ['like Minecraft', 'pixel_art'],
  ['80s arcade game graphics', 'pixel_art'],
  ["Andy Warhol's Marilyn prints", 'pop_art'],
  ['Roy Lichtenstein', 'pop_art'],
  ['loud sixties silkscreen poster', 'pop_art'],
  ['a gritty 1940s detective movie', 'noir'],
  ['Humphrey Bogart in a trench coat', 'noir'],
  ['an old Hitchcock thriller', 'noir'],
  ["a photo from great grandma's album", 'sepia'],
  ['a Wild West photograph from the 1880s', 'sepia'],
  ['a Charlie Chaplin silent movie', 'sepia'],
  ['Blade Runner', 'neon'],
  ['a rainy Tokyo night full of glowing signs', 'neon'],
  ['outrun 80s synth aesthetic', 'neon'],
  ['baby pink and mint, sweet and gentle', 'pastel'],
  ['a Wes Anderson movie', 'pastel'],
  ['cute kawaii colours', 'pastel'],
  ['like a hazy memory, glowing and soft', 'dreamy'],
  ['a magical fairy tale glow', 'dreamy'],
  ['heavenly and misty', 'dreamy'],
  ['90s camcorder footage', 'vhs'],
  ['a found-footage horror tape', 'vhs'],
  ['recorded off TV onto an old videotape', 'vhs'],
  ['Studio Ghibli', 'cartoon'],
];

/**
 * Kept aside while the anchors and the lexicon were written: paraphrases that check the
 * reading generalises rather than remembers.
 */
export const HELD_OUT_PROMPTS: readonly (readonly [string, string])[] = [
  ['Monet water lilies', 'oil_painting'],
  ['a dusty photograph from the Victorian era', 'sepia'],
  ['ghostly soft glow like a dream sequence', 'dreamy'],
  ['a Game Boy game', 'pixel_art'],
  ['a newspaper funnies strip', 'ink_comic'],
  ['Tron legacy', 'neon'],
  ['a Disney animated classic', 'cartoon'],
  ['a scratchy detective film from the forties with fedoras', 'noir'],
  ['a bootleg tape with tracking lines', 'vhs'],
  ['pale spring colours', 'pastel'],
  ['a loose painted study in transparent washes', 'watercolor'],
  ['a figure drawing smudged with fingers', 'charcoal'],
  ["an engineer's plan drawn by hand", 'pencil_sketch'],
  ['bold Warhol-like prints', 'pop_art'],
  ['make it look like it was painted by Claude Monet', 'oil_painting'],
  ['a gloomy Rembrandt-style portrait with rich browns', 'oil_painting'],
  ['loose transparent washes bleeding into each other', 'watercolor'],
  ['a delicate painting for a fairy tale picture book', 'watercolor'],
  ['quick drawing in a sketch artist style, grey lines on white', 'pencil_sketch'],
  ['as if drawn with a number 2 HB lead', 'pencil_sketch'],
  ['dark dusty smudges like a burnt stick drawing', 'charcoal'],
  ['rough expressive drawing with deep black smears', 'charcoal'],
  ['a Batman comic panel', 'ink_comic'],
  ['inked like a Sunday newspaper strip', 'ink_comic'],
  ['make it look like a Dreamworks movie', 'cartoon'],
  ['like an episode of a kids TV show with flat colours', 'cartoon'],
  ['a Super Mario style game from 1990', 'pixel_art'],
  ['low-res blocky retro game graphics', 'pixel_art'],
  ['Marilyn Monroe prints in loud colours', 'pop_art'],
  ['sixties silkscreen with bold primaries', 'pop_art'],
  ['a hardboiled private eye thriller with venetian blinds', 'noir'],
  ['Casablanca', 'noir'],
  ['an old brown-toned photograph from 1900', 'sepia'],
  ['like a photo from the Civil War', 'sepia'],
  ['a futuristic night city full of holograms and pink lights', 'neon'],
  ['eighties synthesizer music video with lasers', 'neon'],
  ['soft baby colours, pale mint and peach', 'pastel'],
  ['sweet candy shop colours', 'pastel'],
  ['like a soft-lit romantic memory with glowing halos', 'dreamy'],
  ['otherworldly misty fantasy', 'dreamy'],
  ["my dad's old home movies on tape from 1995", 'vhs'],
  ['distorted TV static and tracking lines', 'vhs'],
];

/** Prompts that ask for no particular look. */
export const NEUTRAL_PROMPTS: readonly string[] = [
  'a quiet afternoon',
  'a portrait of a dragon',
  'make it better',
  'a man walking his dog',
  'hello',
  'the same but nicer',
  'a cat on a sofa',
];

async function accuracy(cases: readonly (readonly [string, string])[]): Promise<{ right: number; wrong: string[] }> {
  const wrong: string[] = [];
  for (const [prompt, family] of cases) {
    const look = await interpretPrompt(prompt);
    if (look.style !== family) wrong.push(`${prompt} → ${look.style} (wanted ${family})`);
  }
  return { right: cases.length - wrong.length, wrong };
}

describe('interpretPrompt with the sentence model', () => {
  it('maps at least 90 % of prompts in users\' own words to the family a person would pick', async () => {
    expect(USER_PROMPTS.length).toBeGreaterThanOrEqual(40);
    const { right, wrong } = await accuracy(USER_PROMPTS);
    expect(right / USER_PROMPTS.length, wrong.join('\n')).toBeGreaterThanOrEqual(0.9);
  }, scaled(60_000));

  it('generalises to paraphrases that were kept aside', async () => {
    const { right, wrong } = await accuracy(HELD_OUT_PROMPTS);
    expect(right / HELD_OUT_PROMPTS.length, wrong.join('\n')).toBeGreaterThanOrEqual(0.9);
  }, scaled(60_000));

  it('gives the neutral grade to prompts that ask for no look', async () => {
    for (const prompt of NEUTRAL_PROMPTS) expect((await interpretPrompt(prompt)).style, prompt).toBe('neutral');
  });

  it('reads the hub example as watercolor with a pastel palette, softly, and ignores neither word', async () => {
    const look = await interpretPrompt('a hand-painted watercolor animation with soft pastel colors');
    expect(look).toMatchObject({ style: 'watercolor', palette: 'pastel', modifiers: ['soft'] });
    expect(look.used_words).toEqual(expect.arrayContaining(['watercolor', 'pastel', 'soft']));
    expect(look.ignored_words).not.toContain('watercolor');
    expect(look.ignored_words).not.toContain('pastel');
    expect(look.confidence).toBeGreaterThan(0.8);
  });

  it('names the words that carried a family chosen by meaning, with a confidence and a runner-up', async () => {
    const look = await interpretPrompt('like a page from a children\'s picture book painted with a brush');
    expect(look.style).toBe('watercolor');
    const memory = await interpretPrompt('like a memory from long ago');
    expect(memory).toMatchObject({ style: 'dreamy', decided_by: 'meaning' });
    expect(memory.used_words).toContain('memory');
    // Every meaningful word is accounted for once: it decided the look or it did not.
    expect([...memory.used_words, ...memory.ignored_words].sort()).toEqual(['ago', 'long', 'memory']);
    expect(memory.confidence).toBeGreaterThan(0.5);
    expect(memory.confidence).toBeLessThanOrEqual(1);
    expect(memory.runner_up?.style).not.toBe('dreamy');
    expect(memory.runner_up?.confidence ?? 1).toBeLessThan(memory.confidence);
  });

  it('answers in tens of milliseconds once loaded, off the event loop', async () => {
    await interpretPrompt('warm up');
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    await interpretPrompt('a rainy Tokyo night full of glowing signs and reflections');
    const took = performance.now() - started;
    clearInterval(timer);
    // Both bounds grow with the machine's load (a busy machine stalls any loop), and on an
    // idle one are what a user waits.
    expect(took).toBeLessThan(scaled(2000));
    // The model runs in a worker: the loop keeps ticking while it thinks.
    expect(longest).toBeLessThan(scaled(150));
  });

  it('falls back to exact words, with a warning, when the model cannot be used', async () => {
    const broken: SentenceEmbedder = { embed: () => Promise.reject(new Error('no weights')) };
    const look = await interpretPrompt('a gritty film noir', broken);
    expect(look).toMatchObject({ style: 'noir', modifiers: ['grainy'], decided_by: 'words' });
    expect(look.model_warning).toMatch(/no weights/);
  });
});
