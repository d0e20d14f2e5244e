/**
 * The words the look compiler understands: style families, palettes (including named
 * colours) and modifiers, each with its synonyms. Data only, so adding a synonym is a
 * one-line change and the compiler stays small.
 */

export const LOOK_STYLES = [
  'neutral', 'watercolor', 'oil_painting', 'pencil_sketch', 'charcoal', 'ink_comic', 'cartoon',
  'pixel_art', 'pop_art', 'noir', 'sepia', 'neon', 'pastel', 'dreamy', 'vhs',
] as const;
export type LookStyle = (typeof LOOK_STYLES)[number];

/** Named colours a prompt can tint the picture with, as sRGB 0..1. */
export const NAMED_COLOURS = {
  red: [0.9, 0.12, 0.1],
  orange: [0.95, 0.5, 0.1],
  yellow: [0.95, 0.85, 0.15],
  gold: [0.9, 0.7, 0.2],
  green: [0.15, 0.75, 0.2],
  teal: [0.1, 0.6, 0.6],
  cyan: [0.1, 0.8, 0.9],
  blue: [0.1, 0.3, 0.9],
  purple: [0.55, 0.2, 0.8],
  pink: [0.95, 0.45, 0.7],
  magenta: [0.9, 0.1, 0.8],
  brown: [0.55, 0.35, 0.2],
} as const satisfies Record<string, readonly [number, number, number]>;
export type NamedColour = keyof typeof NAMED_COLOURS;

export const GRADE_PALETTES = ['warm', 'cool', 'golden_hour', 'night', 'teal_orange', 'winter', 'summer'] as const;
export type LookPalette = 'none' | (typeof GRADE_PALETTES)[number] | NamedColour;

export const LOOK_MODIFIERS = ['subtle', 'soft', 'vivid', 'bold', 'high_contrast', 'grainy'] as const;
export type LookModifier = (typeof LOOK_MODIFIERS)[number];

export type VocabularyEntry = { style: LookStyle } | { palette: LookPalette } | { modifier: LookModifier };

const styles: Record<Exclude<LookStyle, 'neutral'>, string[]> = {
  watercolor: ['watercolor', 'watercolour', 'watercolor painting', 'watercolour painting', 'watercolors', 'watercolours', 'aquarelle', 'hand-painted', 'hand painted', 'gouache', 'wash painting'],
  oil_painting: ['oil painting', 'oil paint', 'oil-painted', 'oil painted', 'impasto', 'painterly', 'impressionist', 'impressionism', 'van gogh', 'oil on canvas', 'painting', 'painted'],
  pencil_sketch: ['pencil sketch', 'pencil drawing', 'pencil', 'sketch', 'sketched', 'sketchy', 'graphite', 'drawing', 'drawn', 'line art'],
  charcoal: ['charcoal', 'charcoal drawing', 'chalk', 'smudged', 'conte'],
  ink_comic: ['ink', 'inked', 'ink drawing', 'comic', 'comic book', 'comics', 'graphic novel', 'manga', 'woodcut', 'linocut'],
  cartoon: ['cartoon', 'cartoonish', 'cel', 'cel shaded', 'cel-shaded', 'cel shading', 'anime', 'animated', 'animation', 'toon', 'pixar', 'ghibli'],
  pixel_art: ['pixel art', 'pixel-art', 'pixelated', 'pixelart', 'pixels', '8-bit', '8 bit', '16-bit', '16 bit', 'retro game', 'video game', 'mosaic'],
  pop_art: ['pop art', 'pop-art', 'warhol', 'posterize', 'posterized', 'posterised', 'poster', 'screen print', 'screenprint'],
  noir: ['film noir', 'noir', 'black and white', 'black & white', 'black-and-white', 'b&w', 'monochrome', 'grayscale', 'greyscale', 'gray scale'],
  sepia: ['sepia', 'vintage', 'vintage film', 'old film', 'old movie', 'old photo', 'retro', 'antique', 'aged', 'silent film', 'daguerreotype', 'nostalgic', '1920s', 'super 8', '8mm'],
  neon: ['neon', 'cyberpunk', 'cyber punk', 'synthwave', 'vaporwave', 'tron', 'futuristic', 'glowing', 'blade runner'],
  pastel: ['pastel', 'pastels', 'candy', 'cotton candy', 'washed out', 'faded', 'muted', 'light and airy'],
  dreamy: ['dreamy', 'dreamlike', 'dream', 'soft focus', 'soft-focus', 'ethereal', 'hazy', 'haze', 'glow', 'bloom', 'romantic', 'fairy tale', 'fairytale', 'magical'],
  vhs: ['vhs', 'glitch', 'glitchy', 'glitched', 'vcr', 'camcorder', 'tape', 'analog video', 'analogue video', '80s video', 'datamosh', 'lo-fi', 'lofi', 'crt'],
};

const palettes: Record<Exclude<LookPalette, 'none'>, string[]> = {
  warm: ['warm', 'warmer', 'warmth', 'cozy', 'cosy', 'autumn', 'autumnal', 'fall', 'candlelight', 'fireside'],
  cool: ['cool', 'cooler', 'cold', 'icy', 'chilly', 'frosty'],
  golden_hour: ['golden hour', 'golden-hour', 'sunset', 'sunrise', 'dusk', 'dawn', 'magic hour'],
  night: ['night', 'nighttime', 'night-time', 'moonlight', 'moonlit', 'midnight', 'day for night'],
  teal_orange: ['teal and orange', 'orange and teal', 'teal & orange', 'teal-orange', 'blockbuster', 'hollywood'],
  winter: ['winter', 'wintry', 'wintery', 'snowy', 'snow', 'frozen', 'arctic'],
  summer: ['summer', 'summery', 'sunny', 'tropical', 'beach', 'sunshine'],
  red: ['red', 'reds', 'crimson', 'scarlet'],
  orange: ['orange', 'amber'],
  yellow: ['yellow', 'lemon'],
  gold: ['gold', 'golden'],
  green: ['green', 'emerald', 'forest', 'matrix'],
  teal: ['teal', 'turquoise', 'aqua'],
  cyan: ['cyan'],
  blue: ['blue', 'navy', 'azure'],
  purple: ['purple', 'violet', 'lavender', 'lilac'],
  pink: ['pink', 'rose', 'rosy'],
  magenta: ['magenta', 'fuchsia'],
  brown: ['brown', 'chocolate', 'earthy'],
};

const modifiers: Record<LookModifier, string[]> = {
  subtle: ['subtle', 'subtly', 'slight', 'slightly', 'gentle', 'light touch', 'understated', 'hint of', 'a bit'],
  soft: ['soft', 'softer', 'smooth', 'delicate', 'low contrast', 'low-contrast'],
  vivid: ['vivid', 'vibrant', 'saturated', 'colorful', 'colourful', 'rich', 'intense', 'strong'],
  bold: ['bold', 'dramatic', 'extreme', 'heavy', 'strongly', 'punchy'],
  high_contrast: ['high contrast', 'high-contrast', 'contrasty', 'harsh', 'crisp'],
  grainy: ['grainy', 'grain', 'film grain', 'gritty', 'noisy', 'textured'],
};

function entries<K extends string>(table: Record<K, string[]>, make: (key: K) => VocabularyEntry): [string, VocabularyEntry][] {
  return (Object.keys(table) as K[]).flatMap((key) => table[key].map((phrase): [string, VocabularyEntry] => [phrase, make(key)]));
}

/** Phrase → meaning. Phrases are matched before single words, longest first. */
export const VOCABULARY: ReadonlyMap<string, VocabularyEntry> = new Map([
  ...entries(styles, (style) => ({ style })),
  ...entries(palettes, (palette) => ({ palette })),
  ...entries(modifiers, (modifier) => ({ modifier })),
]);

/** Words that carry no style meaning; neither used nor reported as ignored. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  ('a an the and or but of to in on at by for with from into as is are be it its this that these those ' +
    'make makes made turn turned give gives look looks looking like style styled stylized stylised version ' +
    'video clip scene shot footage feel feeling mood vibe vibes please very more less some all me my our your ' +
    'edit render effect filter tone tones toned color colors colour colours grade graded grading lighting light ' +
    'into onto out over up add adds apply using use so just bit kind sort type hint touch').split(' '),
);
