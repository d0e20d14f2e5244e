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
