import { describe, expect, it } from 'vitest';
import { promptToLook } from './prompt-to-look.ts';

describe('promptToLook', () => {
  it('recognises film noir / black and white', () => {
    expect(promptToLook('Make it a 1940s film noir').style).toBe('noir');
    expect(promptToLook('black and white, high contrast').style).toBe('noir');
    expect(promptToLook('Black-and-white please').style).toBe('noir');
  });

  it('recognises sepia / vintage and cartoon / pop art', () => {
    expect(promptToLook('an old vintage home movie').style).toBe('sepia');
    expect(promptToLook('Sepia toned').style).toBe('sepia');
    expect(promptToLook('turn this into a cartoon').style).toBe('cartoon');
    expect(promptToLook('pop art poster').style).toBe('pop_art');
  });

  it.each([
    ['a watercolour painting of a dragon', 'watercolor'],
    ['hand-painted', 'watercolor'],
    ['aquarelle', 'watercolor'],
    ['thick impasto oil painting', 'oil_painting'],
    ['pencil sketch', 'pencil_sketch'],
    ['graphite drawing', 'pencil_sketch'],
    ['charcoal', 'charcoal'],
    ['inked like a comic book', 'ink_comic'],
    ['manga', 'ink_comic'],
    ['anime', 'cartoon'],
    ['cel-shaded', 'cartoon'],
    ['8-bit pixel art', 'pixel_art'],
    ['Warhol', 'pop_art'],
    ['monochrome', 'noir'],
    ['cyberpunk city', 'neon'],
    ['synthwave', 'neon'],
    ['pastel', 'pastel'],
    ['soft focus', 'dreamy'],
    ['ethereal', 'dreamy'],
    ['VHS tape', 'vhs'],
    ['glitch', 'vhs'],
  ])('reads %j as %s', (prompt, style) => {
    expect(promptToLook(prompt).style).toBe(style);
  });

  it('falls back to a neutral grade and reports the words it did not know', () => {
    const look = promptToLook('a portrait of a dragon');
    expect(look.style).toBe('neutral');
    expect(look.palette).toBe('none');
    expect(look.used_words).toEqual([]);
    expect(look.ignored_words).toEqual(['portrait', 'dragon']);
  });

  it('reads named colours as a palette', () => {
    expect(promptToLook('everything purple').palette).toBe('purple');
    expect(promptToLook('a violet haze').palette).toBe('purple');
    expect(promptToLook('pink and gold').palette).toBe('pink');
    expect(promptToLook('pink and gold').ignored_words).toEqual(['gold']);
    expect(promptToLook('red')).toMatchObject({ palette: 'red', used_words: ['red'], ignored_words: [] });
  });

  it('collects the modifiers of the brief', () => {
    expect(promptToLook('soft, subtle, vivid, bold, high-contrast and grainy').modifiers).toEqual(['soft', 'subtle', 'vivid', 'bold', 'high_contrast', 'grainy']);
  });

  it('reads warm and cool colour words as palettes', () => {
    expect(promptToLook('warm summer afternoon')).toMatchObject({ palette: 'warm', used_words: ['warm'], ignored_words: ['summer', 'afternoon'] });
    expect(promptToLook('summer afternoon')).toMatchObject({ palette: 'summer', ignored_words: ['afternoon'] });
    expect(promptToLook('a winter morning').palette).toBe('winter');
    expect(promptToLook('by night').palette).toBe('night');
    expect(promptToLook('cold winter morning').palette).toBe('cool');
    expect(promptToLook('cartoon at golden hour')).toMatchObject({ style: 'cartoon', palette: 'golden_hour' });
    expect(promptToLook('teal and orange blockbuster').palette).toBe('teal_orange');
  });

  it('collects modifiers and lists used words in prompt order', () => {
    const look = promptToLook('Subtle, grainy film noir with a cool tint');
    expect(look).toMatchObject({ style: 'noir', palette: 'cool', modifiers: ['subtle', 'grainy'] });
    expect(look.used_words).toEqual(['subtle', 'grainy', 'film noir', 'cool']);
    expect(look.ignored_words).toEqual(['tint']);
    // A phrase beats the single words inside it.
    expect(promptToLook('golden hour').used_words).toEqual(['golden hour']);
    expect(promptToLook('teal and orange').palette).toBe('teal_orange');
  });

  it('keeps the first style when two are asked for and reports the other as ignored', () => {
    const look = promptToLook('sepia cartoon');
    expect(look.style).toBe('sepia');
    expect(look.ignored_words).toContain('cartoon');
  });

  it('matches whole words only', () => {
    expect(promptToLook('a cooling tower at noon')).toMatchObject({ palette: 'none', style: 'neutral' });
    expect(promptToLook('a cooling tower').ignored_words).toEqual(['cooling', 'tower']);
  });
});

describe('promptToLook: style, palette and modifiers apart', () => {
  it('reads the hub example as watercolor + pastel palette + soft, ignoring neither word', () => {
    const look = promptToLook('a hand-painted watercolor animation with soft pastel colors');
    expect(look).toMatchObject({ style: 'watercolor', palette: 'pastel', modifiers: ['soft'] });
    expect(look.used_words).toEqual(['hand-painted', 'watercolor', 'soft', 'pastel']);
    // "animation" names a medium, not a look; it lost to the watercolor words.
    expect(look.ignored_words).toEqual(['animation']);
  });

  it('lets a style word that names colours colour another family', () => {
    expect(promptToLook('a comic book in black and white')).toMatchObject({ style: 'ink_comic', palette: 'monochrome' });
    // "Glowing" is neon's word, but a dreamy haze glows too: no cyan and magenta on it.
    expect(promptToLook('a soft, glowing dreamlike haze')).toMatchObject({ style: 'dreamy', palette: 'none' });
    expect(promptToLook('pixel art with neon colours')).toMatchObject({ style: 'pixel_art', palette: 'neon' });
    // An explicit colour word keeps the palette; the style word then counts as ignored.
    expect(promptToLook('pastel oil painting, warm')).toMatchObject({ style: 'pastel', palette: 'warm' });
  });

  it('lets weak words decide only when nothing stronger speaks', () => {
    expect(promptToLook('an animation').style).toBe('cartoon');
    expect(promptToLook('an animation in watercolours').style).toBe('watercolor');
    expect(promptToLook('a painted scene').style).toBe('oil_painting');
  });

  it('knows artists, films and eras by name', () => {
    expect(promptToLook('Studio Ghibli').style).toBe('cartoon');
    expect(promptToLook('a gritty 1940s detective movie')).toMatchObject({ style: 'noir', modifiers: ['grainy'] });
    expect(promptToLook('like Van Gogh').style).toBe('oil_painting');
    expect(promptToLook('Roy Lichtenstein').style).toBe('pop_art');
  });

  it('records a confidence and a runner-up', () => {
    const look = promptToLook('watercolor');
    expect(look.confidence).toBeGreaterThan(0.5);
    expect(look.runner_up?.style).not.toBe('watercolor');
    expect(look.decided_by).toBe('words');
    expect(promptToLook('a portrait of a dragon')).toMatchObject({ style: 'neutral', decided_by: 'nothing' });
  });
});
