import { describe, expect, it } from 'vitest';
import { promptToLook } from './prompt-to-look.ts';

describe('promptToLook', () => {
  it('recognises film noir / black and white', () => {
    expect(promptToLook('Make it a 1940s film noir').style).toBe('noir');
    expect(promptToLook('black and white, high contrast').style).toBe('noir');
    expect(promptToLook('Black-and-white please').style).toBe('noir');
  });

  it('recognises sepia / vintage and cartoon / posterize', () => {
    expect(promptToLook('an old vintage home movie').style).toBe('sepia');
    expect(promptToLook('Sepia toned').style).toBe('sepia');
    expect(promptToLook('turn this into a cartoon').style).toBe('cartoon');
    expect(promptToLook('pop art poster').style).toBe('cartoon');
  });

  it('falls back to a neutral grade and reports the words it did not know', () => {
    const look = promptToLook('a watercolour painting of a dragon');
    expect(look.style).toBe('neutral');
    expect(look.used_words).toEqual([]);
    expect(look.ignored_words).toEqual(['watercolour', 'painting', 'dragon']);
  });

  it('reads warm and cool colour words as palettes', () => {
    expect(promptToLook('warm summer afternoon')).toMatchObject({ palette: 'warm', used_words: ['warm'], ignored_words: ['summer', 'afternoon'] });
    expect(promptToLook('cold winter morning').palette).toBe('cool');
    expect(promptToLook('cartoon at golden hour')).toMatchObject({ style: 'cartoon', palette: 'golden_hour' });
    expect(promptToLook('teal and orange blockbuster').palette).toBe('teal_orange');
  });

  it('collects modifiers and lists used words in prompt order', () => {
    const look = promptToLook('Subtle, grainy film noir with a cool tint');
    expect(look).toMatchObject({ style: 'noir', palette: 'cool', modifiers: ['subtle', 'grainy'] });
    expect(look.used_words).toEqual(['subtle', 'grainy', 'film noir', 'cool']);
    expect(look.ignored_words).toEqual(['tint']);
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
