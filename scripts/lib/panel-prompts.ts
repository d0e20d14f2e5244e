/**
 * What the blind panel (scripts/blind-panel.ts) renders each family from, and what its
 * viewers are asked. The prompts are worded unlike the gallery's (look-prompts.ts), as
 * another user would write them.
 */
import type { LookStyle } from '../../src/engines/local/vocabulary.ts';

export const PANEL_PROMPTS: Record<Exclude<LookStyle, 'neutral'>, string> = {
  watercolor: 'a watercolour painting, soft washes bleeding into damp paper',
  oil_painting: 'an impressionist oil painting with visible brushwork',
  pencil_sketch: 'a graphite sketch in an artist\'s notebook',
  charcoal: 'a charcoal drawing, dark and smudgy',
  ink_comic: 'a panel from a comic book, inked lines',
  cartoon: 'an animated cartoon with flat colours and outlines',
  pixel_art: 'retro pixel art like an 8-bit console',
  pop_art: 'a bold pop art poster',
  noir: 'a black and white crime film from the forties',
  sepia: 'an antique sepia photograph',
  neon: 'glowing neon cyberpunk city lights',
  pastel: 'drawn with soft pastel chalks',
  dreamy: 'a soft, glowing dreamlike haze',
  vhs: 'an old VHS tape recording',
};

/** The names shown to viewers, in alphabetical order (never in tile order). */
export const PANEL_NAMES = [
  'cartoon', 'charcoal', 'dreamy / soft focus', 'film noir', 'ink comic', 'neon / cyberpunk', 'oil painting',
  'pastel', 'pencil sketch', 'pixel art', 'pop art', 'sepia / vintage', 'VHS / glitch', 'watercolor',
];

export function panelInstructions(clips: string[]): string {
  return [
    '# What to do',
    '',
    'Each folder below holds `sheet.png`: numbered tiles, each one frame of the same short clip',
    'rendered in some visual style, and `source.png`, the frame before any style. For every',
    'tile of every sheet, answer on one line:',
    '',
    '`<clip> <tile>: <name> | <0, 1 or 2> | faces: <yes, partly, no, none> | darks: <yes, partly, no>`',
    '',
    '- **name**: which of these it is (a name may fit several tiles, or none):',
    `  ${PANEL_NAMES.join(', ')}.`,
    '- **0, 1 or 2**: how convincingly it reads as that name (0 not really, 1 somewhat, 2 clearly),',
    '  as if a person had made it in that medium.',
    '- **faces**: are the faces (if any) still readable, with eyes, nose and mouth? (`none` if',
    '  the frame has no face)',
    '- **darks**: do the dark areas keep what is in them, or are they crushed to solid black?',
    '',
    'Then one sentence per tile that you rated 0 or 1, saying what is missing.',
    '',
    `Clips: ${clips.join(', ')}.`,
    '',
  ].join('\n');
}
