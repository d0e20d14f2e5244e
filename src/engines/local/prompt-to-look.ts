/**
 * The look compiler's public face inside the engine: a prompt becomes a style family,
 * a palette and modifiers, with the words that decided them, a confidence and a
 * runner-up. The reading itself lives in prompt/.
 */
export type { LookModifier, LookPalette, LookStyle } from './vocabulary.ts';
export type { Evidence, Look } from './prompt/choose-look.ts';
export { interpretPrompt, promptToLook, type Interpretation } from './prompt/interpret.ts';
