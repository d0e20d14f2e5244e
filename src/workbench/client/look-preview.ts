/**
 * The look retake-local will render, shown under the price while the user types: the
 * estimate answers with the engine's interpretation of the prompt, and this puts it in
 * words (family, palette, modifiers, how sure, the runner-up, which words counted), so a
 * prompt that would be misread is fixed before anything runs.
 */
import type { EstimateInterpretation } from '../../engines/index.ts';
import { h, show } from './dom.ts';

const label = (name: string): string => name.replace(/_/g, ' ');
const percent = (p: number): string => `${Math.round(p * 100)} %`;

/** Show `interpretation` in `el`, or hide `el` when there is none (hosted models). */
export function showLookPreview(el: HTMLElement, look: EstimateInterpretation | undefined): void {
  el.replaceChildren();
  if (!look) {
    show(el, false);
    return;
  }
  const parts = [label(look.style)];
  if (look.palette && look.palette !== 'none') parts.push(`${label(look.palette)} palette`);
  if (look.modifiers.length) parts.push(look.modifiers.map(label).join(', '));
  const sure = look.style === 'neutral'
    ? 'no style recognised: a gentle neutral grade'
    : `${percent(look.confidence)} sure${look.runner_up ? `; next: ${label(look.runner_up.style)} ${percent(look.runner_up.confidence)}` : ''}`;
  el.append(
    h('span', { text: 'Look: ' }),
    h('strong', { attrs: { 'data-look': look.style }, text: parts.join(' · ') }),
    h('span', { text: ` (${sure})` }),
  );
  if (look.used_words.length) el.append(h('br'), h('span', { class: 'used', text: `Read: ${look.used_words.join(', ')}` }));
  if (look.ignored_words.length) el.append(h('br'), h('span', { class: 'ignored', text: `Not used: ${look.ignored_words.join(', ')}` }));
  show(el, true);
}
