/**
 * Guided mode in the result: the keyframe the user gave (input_image) beside the
 * result, with what the engine learned from it (mode, how well the mapping reproduces
 * the keyframe, the alignment score, the method and how prompt and image combined).
 */
import type { GuidedInterpretation, KnownInterpretation } from '../../engines/index.ts';
import { h } from './dom.ts';

const MODES: Record<GuidedInterpretation['mode'], string> = {
  guided: 'guided: the keyframe\'s look learned and applied to every frame',
  prompt: 'the prompt\'s look (the image is frame 0 unchanged)',
  colour_transfer: 'colour transfer (the image is not a restyle of frame 0)',
};

/** The keyframe section, or undefined when the generation had no input_image. */
export function guidedSection(imageUrl: string | undefined, data: KnownInterpretation | null | undefined): HTMLElement | undefined {
  const guided = data?.engine === 'retake-local' ? data.guided : undefined;
  if (!imageUrl || !guided) return undefined;
  const list = h('dl', { class: 'interpretation' });
  const add = (term: string, text: string | undefined): void => {
    if (text) list.append(h('dt', { text: term }), h('dd', { text }));
  };
  add('Mode', MODES[guided.mode]);
  const fit = guided.keyframe_fit;
  if (guided.mode === 'guided') add('Keyframe fit', `SSIM-Y ${fit.ssim.toFixed(3)}, ΔE ${fit.delta_e.toFixed(2)}`);
  add('Alignment', `${guided.alignment.score.toFixed(2)} (${guided.alignment.aligned ? 'a restyle of frame 0' : 'not a restyle of frame 0'})`);
  add('Strength', `${guided.strength}× the learned change`);
  add('Prompt and image', guided.combination);
  add('Method', guided.method);
  return h('section', { class: 'guided', attrs: { 'aria-label': 'Keyframe' } },
    h('h3', { text: 'Keyframe (input_image)' }),
    h('div', { class: 'guided-body' },
      h('img', { class: 'keyframe', attrs: { src: imageUrl, alt: 'The keyframe: input_image, the restyled first frame' } }),
      list));
}
