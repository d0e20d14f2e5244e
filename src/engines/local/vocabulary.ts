/**
 * The words the look compiler knows exactly: style families, palettes (including named
 * colours) and modifiers, each with its synonyms, and the artists, films and eras that
 * name a family outright. Data only, so adding a synonym is a one-line change. Words
 * not listed here are read by their meaning (prompt/ with its sentence model).
 */

export const LOOK_STYLES = [
  'neutral', 'watercolor', 'oil_painting', 'pencil_sketch', 'charcoal', 'ink_comic', 'cartoon',
  'pixel_art', 'pop_art', 'noir', 'sepia', 'neon', 'pastel', 'dreamy', 'vhs',
] as const;
export type LookStyle = (typeof LOOK_STYLES)[number];

/** Named colours a prompt can tint the picture with, as sRGB 0..1. */
export const NAMED_COLOURS = {
  red: [0.9, 0.12, 0.1], orange: [0.95, 0.5, 0.1], yellow: [0.95, 0.85, 0.15], gold: [0.9, 0.7, 0.2],
  green: [0.15, 0.75, 0.2], teal: [0.1, 0.6, 0.6], cyan: [0.1, 0.8, 0.9], blue: [0.1, 0.3, 0.9],
  purple: [0.55, 0.2, 0.8], pink: [0.95, 0.45, 0.7], magenta: [0.9, 0.1, 0.8], brown: [0.55, 0.35, 0.2],
} as const satisfies Record<string, readonly [number, number, number]>;
export type NamedColour = keyof typeof NAMED_COLOURS;

export const GRADE_PALETTES = [
  'warm', 'cool', 'golden_hour', 'night', 'teal_orange', 'winter', 'summer', 'pastel', 'neon', 'sepia', 'monochrome',
] as const;
export type LookPalette = 'none' | (typeof GRADE_PALETTES)[number] | NamedColour;

export const LOOK_MODIFIERS = ['subtle', 'soft', 'vivid', 'bold', 'high_contrast', 'grainy'] as const;
export type LookModifier = (typeof LOOK_MODIFIERS)[number];

export type VocabularyEntry = { style: LookStyle; weak?: boolean } | { palette: LookPalette } | { modifier: LookModifier };

const styles: Record<Exclude<LookStyle, 'neutral'>, string[]> = {
  watercolor: ['watercolor', 'watercolour', 'watercolor painting', 'watercolour painting', 'watercolors', 'watercolours', 'aquarelle', 'gouache', 'wash painting', 'ink wash', 'sumi-e', 'beatrix potter', 'picture book', 'storybook'],
  oil_painting: ['oil painting', 'oil paint', 'oil-painted', 'oil painted', 'oils', 'impasto', 'painterly', 'impressionist', 'impressionism', 'post-impressionist', 'van gogh', 'monet', 'rembrandt', 'renoir', 'cezanne', 'vermeer', 'old master', 'old masters', 'oil on canvas', 'canvas', 'palette knife', 'brushstrokes', 'brush strokes', 'baroque', 'edward hopper', 'caravaggio', 'starry night', 'bob ross', 'klimt'],
  pencil_sketch: ['pencil sketch', 'pencil drawing', 'pencil', 'pencils', 'sketch', 'sketched', 'sketchy', 'sketchbook', 'graphite', 'line art', 'hatching', 'cross-hatching', 'crosshatching', 'storyboard', 'blueprint'],
  charcoal: ['charcoal', 'charcoal drawing', 'chalk', 'smudged', 'smudgy', 'conte', 'soot'],
  ink_comic: ['ink', 'inked', 'ink drawing', 'comic', 'comic book', 'comics', 'graphic novel', 'manga', 'woodcut', 'linocut', 'halftone', 'ben-day', 'screentone', 'superhero', 'marvel', 'dc comics', 'frank miller', 'sin city', 'tintin', 'funnies', 'comic strip', 'hokusai', 'ukiyo-e', 'woodblock', 'moebius'],
  cartoon: ['cartoon', 'cartoonish', 'cartoony', 'cel', 'cel shaded', 'cel-shaded', 'cel shading', 'toon', 'toon shaded', 'anime', 'pixar', 'disney', 'ghibli', 'studio ghibli', 'dreamworks', 'simpsons', 'looney tunes', 'saturday morning', 'miyazaki', 'totoro', 'spirited away', 'hanna-barbera', 'south park', 'family guy'],
  pixel_art: ['pixel art', 'pixel-art', 'pixelated', 'pixelart', 'pixels', 'pixel', '8-bit', '8 bit', '16-bit', '16 bit', 'retro game', 'video game', 'arcade', 'nes', 'snes', 'game boy', 'gameboy', 'sprite', 'sprites', 'minecraft', 'nintendo', 'atari', 'commodore 64', 'pac-man', 'space invaders', 'tetris', 'mosaic'],
  pop_art: ['pop art', 'pop-art', 'warhol', 'andy warhol', 'lichtenstein', 'posterize', 'posterized', 'posterised', 'screen print', 'screenprint', 'silkscreen', 'risograph', 'keith haring'],
  noir: ['film noir', 'noir', 'black and white', 'black & white', 'black-and-white', 'b&w', 'monochrome', 'grayscale', 'greyscale', 'gray scale', 'hitchcock', 'bogart', 'casablanca', 'maltese falcon', 'double indemnity', 'the third man', 'citizen kane', 'orson welles', 'detective', 'private eye', 'hardboiled', '1940s', "1940's", 'forties'],
  sepia: ['sepia', 'vintage', 'vintage film', 'old film', 'old movie', 'old photo', 'old photograph', 'antique', 'aged', 'silent film', 'silent movie', 'daguerreotype', 'tintype', 'nostalgic', '1920s', 'victorian', 'wild west', 'chaplin', 'super 8', '8mm'],
  neon: ['neon', 'cyberpunk', 'cyber punk', 'synthwave', 'vaporwave', 'outrun', 'tron', 'futuristic', 'glowing', 'blade runner', 'neon-lit', 'neon lit', 'ghost in the shell', 'akira'],
  pastel: ['pastel', 'pastels', 'candy', 'cotton candy', 'washed out', 'faded', 'muted', 'light and airy', 'airy', 'high key', 'high-key', 'kawaii', 'wes anderson', 'baby pink', 'mint'],
  dreamy: ['dreamy', 'dreamlike', 'dream', 'soft focus', 'soft-focus', 'ethereal', 'hazy', 'haze', 'misty', 'glow', 'bloom', 'romantic', 'fairy tale', 'fairytale', 'magical', 'heavenly', 'diffusion'],
  vhs: ['vhs', 'glitch', 'glitchy', 'glitched', 'vcr', 'camcorder', 'videotape', 'video tape', 'tape', 'analog video', 'analogue video', '80s video', '90s video', 'home video', 'datamosh', 'lo-fi', 'lofi', 'crt', 'scanlines', 'found footage', 'found-footage', 'blair witch'],
};

/**
 * Style words that say little on their own ("an animation", "a painting"): they choose a
 * family only when nothing stronger does (see choose-look.ts for their weight).
 */
export const WEAK_STYLE_WORDS: Readonly<Record<string, Exclude<LookStyle, 'neutral'>>> = {
  'hand-painted': 'watercolor', 'hand painted': 'watercolor', painting: 'oil_painting', painted: 'oil_painting',
  drawing: 'pencil_sketch', drawn: 'pencil_sketch', 'hand-drawn': 'pencil_sketch', 'hand drawn': 'pencil_sketch',
  animation: 'cartoon', animated: 'cartoon', retro: 'sepia', poster: 'pop_art',
};

/**
 * Style words that also name a palette: when another family decides the style, they
 * colour it instead of being dropped ("a watercolor with pastel colors").
 */
export const STYLE_PALETTES: Readonly<Partial<Record<LookStyle, LookPalette>>> = {
  pastel: 'pastel', neon: 'neon', sepia: 'sepia', noir: 'monochrome',
};

/**
 * Style words too general to colour another family's look: "glowing" is neon's signs but
 * also a dreamy haze's glow, which neon's cyan and magenta would turn into a cold cast.
 */
export const STYLE_WORDS_WITHOUT_PALETTE: ReadonlySet<string> = new Set(['glowing']);

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
  pastel: [],
  neon: [],
  sepia: [],
  monochrome: [],
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
  ...Object.entries(WEAK_STYLE_WORDS).map(([phrase, style]): [string, VocabularyEntry] => [phrase, { style, weak: true }]),
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
