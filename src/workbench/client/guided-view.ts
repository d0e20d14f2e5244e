/**
 * Guided mode in the result: the keyframe the user gave (input_image) beside the
 * result, with what the engine learned from it (mode, how well the mapping reproduces
 * the keyframe, the alignment score, the method and how prompt and image combined).
 */
import { h } from './dom.ts';

interface GuidedRecord {
  mode?: string;
  method?: string;
  keyframe_fit?: { ssim?: number; delta_e?: number };
  alignment?: { score?: number; aligned?: boolean };
  strength?: number;
  combination?: string;
}

const MODES: Record<string, string> = {
  guided: 'guided: the keyframe\'s look learned and applied to every frame',
  prompt: 'the prompt\'s look (the image is frame 0 unchanged)',
  colour_transfer: 'colour transfer (the image is not a restyle of frame 0)',
};

/** The keyframe section, or undefined when the generation had no input_image. */
export function guidedSection(imageUrl: string | undefined, data: Record<string, unknown> | null | undefined): HTMLElement | undefined {
  const guided = data?.guided as GuidedRecord | undefined;
  if (!imageUrl || !guided) return undefined;
  const list = h('dl', { class: 'interpretation' });
  const add = (term: string, text: string | undefined): void => {
    if (text) list.append(h('dt', { text: term }), h('dd', { text }));
  };
  add('Mode', MODES[guided.mode ?? ''] ?? guided.mode);
  const fit = guided.keyframe_fit;
  if (guided.mode === 'guided' && fit) add('Keyframe fit', `SSIM-Y ${fit.ssim?.toFixed(3)}, ΔE ${fit.delta_e?.toFixed(2)}`);
  if (guided.alignment?.score !== undefined) add('Alignment', `${guided.alignment.score.toFixed(2)} (${guided.alignment.aligned ? 'a restyle of frame 0' : 'not a restyle of frame 0'})`);
  if (guided.strength !== undefined) add('Strength', `${guided.strength}× the learned change`);
  add('Prompt and image', guided.combination);
  add('Method', guided.method);
  return h('section', { class: 'guided', attrs: { 'aria-label': 'Keyframe' } },
    h('h3', { text: 'Keyframe (input_image)' }),
    h('div', { class: 'guided-body' },
      h('img', { class: 'keyframe', attrs: { src: imageUrl, alt: 'The keyframe: input_image, the restyled first frame' } }),
      list));
}
