/**
 * The result: output and source played in sync, compared with a wipe slider (or side
 * by side), a download button per output, what the engine understood of the prompt, and
 * the warnings.
 */
import type { KnownInterpretation } from '../../engines/index.ts';
import { formatUsd, h } from './dom.ts';
import { guidedSection } from './guided-view.ts';
import type { Row } from './run.ts';

const LABELS: Record<string, string> = { video: 'MP4 video', exr: 'EXR frames (zip)' };

/** Keep `follower` on `leader`'s clock: same play state, drift corrected past 0.15 s. */
function syncVideos(leader: HTMLVideoElement, follower: HTMLVideoElement): void {
  const align = () => {
    if (Math.abs(follower.currentTime - leader.currentTime) > 0.15) follower.currentTime = leader.currentTime;
  };
  leader.addEventListener('play', () => {
    align();
    void follower.play().catch(() => undefined);
  });
  leader.addEventListener('pause', () => follower.pause());
  leader.addEventListener('seeked', align);
  leader.addEventListener('timeupdate', align);
}

function compare(sourceUrl: string | undefined, outputUrl: string): HTMLElement {
  const output = h('video', {
    class: 'output', attrs: { src: outputUrl, muted: true, loop: true, autoplay: true, playsinline: true, controls: true, 'aria-label': 'Result video' },
  });
  output.muted = true;
  if (!sourceUrl) return h('div', { class: 'compare single' }, output);
  const source = h('video', {
    class: 'source', attrs: { src: sourceUrl, muted: true, loop: true, playsinline: true, preload: 'auto', 'aria-label': 'Source video' },
  });
  source.muted = true;
  syncVideos(output, source);
  const divider = h('div', { class: 'divider', attrs: { 'aria-hidden': 'true' } });
  const stage = h('div', { class: 'compare-stage wipe' }, source, output, divider);
  const slider = h('input', {
    attrs: { type: 'range', min: 0, max: 100, value: 50, id: 'wipe', 'aria-label': 'Wipe position: left shows the result, right the source' },
  });
  const setWipe = () => {
    // The result covers the left part; the source shows through on the right.
    const wipe = stage.classList.contains('wipe');
    output.style.clipPath = wipe ? `inset(0 ${100 - Number(slider.value)}% 0 0)` : '';
    divider.style.left = `${slider.value}%`;
    divider.hidden = !wipe;
  };
  slider.addEventListener('input', setWipe);
  const layout = h('button', { class: 'secondary', attrs: { type: 'button', 'aria-pressed': 'false' }, text: 'Side by side' });
  layout.addEventListener('click', () => {
    const wipe = stage.classList.toggle('wipe');
    stage.classList.toggle('side', !wipe);
    layout.setAttribute('aria-pressed', String(!wipe));
    slider.disabled = !wipe;
    setWipe();
  });
  setWipe();
  return h('div', { class: 'compare' },
    stage,
    h('div', { class: 'compare-controls' },
      h('span', { class: 'tag', text: 'Result' }),
      h('label', { class: 'wipe-label', attrs: { for: 'wipe' } }, slider),
      h('span', { class: 'tag', text: 'Source' }),
      layout));
}

function interpretation(data: KnownInterpretation): HTMLElement {
  const list = h('dl', { class: 'interpretation' });
  const add = (term: string, value: string | readonly string[]) => {
    if (value === '') return;
    const text = typeof value === 'string' ? value : (value.length ? value.join(', ') : 'none');
    list.append(h('dt', { text: term }), h('dd', { text }));
  };
  if (data.engine === 'retake-local') {
    add('Style', data.look.style);
    add('Palette', data.look.palette);
    add('Modifiers', data.look.modifiers);
    add('Words used', data.used_words);
    add('Words ignored', data.ignored_words);
    add('Edit strength', data.edit_strength);
    const { schedule, output: out } = data;
    if (schedule) {
      add('Schedule', schedule.segments.map((s) => `${s.start_s.toFixed(2)}–${s.end_s.toFixed(2)} s ${s.edit_strength}`).join('; ')
        + (schedule.cuts_s.length ? ` (cuts at ${schedule.cuts_s.map((c) => c.toFixed(2)).join(', ')} s)` : ''));
    }
    add('Output', `${out.width}×${out.height}, ${out.fps} fps, ${out.duration_s.toFixed(2)} s, ${out.audio ? 'with' : 'no'} audio`);
  }
  return h('div', {},
    list,
    h('details', {}, h('summary', { text: 'Raw interpretation' }), h('pre', { text: JSON.stringify(data, null, 2) })));
}

/**
 * The request's keyframes: a marker per keyframe on a timeline of the output (placed by
 * the output's frame rate and length when the engine reported them), and each image
 * with its frame.
 */
function keyframesSection(row: Row): HTMLElement | undefined {
  const keyframes = Array.isArray(row.keyframes) ? (row.keyframes as { image: string; frame: number }[]) : [];
  if (keyframes.length === 0) return undefined;
  const out = row.interpretation?.engine === 'retake-local' ? row.interpretation.output : undefined;
  const total = out ? Math.max(1, Math.round(out.fps * out.duration_s)) : Math.max(1, ...keyframes.map((k) => k.frame));
  const timeline = h('div', { class: 'kf-timeline', attrs: { role: 'img', 'aria-label': 'Keyframes on the timeline' } },
    ...keyframes.map((k) => h('span', {
      class: 'kf-marker', attrs: { 'data-frame': k.frame, title: `frame ${k.frame}`, style: `left: ${Math.min(100, (k.frame / total) * 100)}%` },
    })));
  return h('section', { class: 'result-keyframes', attrs: { 'aria-label': 'Keyframes' } },
    h('h3', { text: `Keyframes (${keyframes.length})` }),
    timeline,
    h('ul', { class: 'kf-list' }, ...keyframes.map((k) => h('li', { attrs: { 'data-keyframe': k.frame } },
      h('img', { attrs: { src: k.image, alt: `Keyframe at frame ${k.frame}` } }), h('span', { text: `frame ${k.frame}` })))));
}

/** Render a finished (or failed) generation into `container`. */
export function showResult(container: HTMLElement, row: Row): void {
  container.replaceChildren();
  const heading = h('p', { class: `status status-${row.status}`, attrs: { 'data-status': row.status } },
    `${row.status} · ${row.generation_id.slice(0, 8)} · cost ${formatUsd(row.cost)}`);
  container.append(heading);
  if (row.status !== 'succeeded') {
    container.append(h('p', { class: 'error-box', attrs: { role: 'alert' }, text: row.error_message ?? `The generation was ${row.status}.` }));
    return;
  }
  const outputs = row.outputs ?? [];
  const main = outputs.find((o) => o.kind === 'video')?.url ?? row.result_url;
  if (main) container.append(compare(typeof row.input_video === 'string' ? row.input_video : undefined, main));
  const keyframe = guidedSection(typeof row.input_image === 'string' ? row.input_image : undefined, row.interpretation);
  if (keyframe) container.append(keyframe);
  const keyframes = keyframesSection(row);
  if (keyframes) container.append(keyframes);
  container.append(h('div', { class: 'downloads' }, ...outputs.map((o) =>
    h('a', { class: 'button', attrs: { href: o.url, download: '' }, text: `Download ${LABELS[o.kind] ?? o.kind} (${(o.bytes / 1e6).toFixed(1)} MB)` }))));
  const warnings = row.warnings ?? [];
  if (warnings.length) {
    container.append(h('section', { class: 'warnings', attrs: { 'aria-label': 'Warnings' } },
      h('h3', { text: 'Warnings' }), h('ul', {}, ...warnings.map((w) => h('li', { text: w })))));
  }
  if (row.interpretation) {
    container.append(h('section', { attrs: { 'aria-label': 'What the engine understood' } },
      h('h3', { text: 'What the engine understood' }), interpretation(row.interpretation)));
  }
}
