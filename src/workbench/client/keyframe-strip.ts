/**
 * The keyframe strip under the source player: pause the source at a moment, download
 * that frame (to restyle it in any tool), attach the restyled image (uploaded through
 * `POST /api/files`) at that frame. Each keyframe shows as a marker on a timeline of the
 * source and as a row that can be removed; the strip's value is the request's
 * `keyframes`. Frames are counted in the source's own frame grid, from a frame rate
 * measured off the player's presented frames.
 */
import { h } from './dom.ts';

export interface Keyframe {
  image: string;
  frame: number;
}

export interface KeyframeStrip {
  element: HTMLElement;
  /** `{ keyframes }` when any are attached, else `{}`. */
  values(): { keyframes?: Keyframe[] };
  set(keyframes: readonly Keyframe[]): void;
}

const COMMON_RATES = [23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60];

/** The frame rate of what `video` plays, from the media times of frames it presents. */
export async function measureFrameRate(video: HTMLVideoElement): Promise<number | undefined> {
  if (typeof video.requestVideoFrameCallback !== 'function') return undefined;
  const at = video.currentTime;
  const times: number[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 4000);
    const step = (_now: number, meta: VideoFrameCallbackMetadata) => {
      times.push(meta.mediaTime);
      if (times.length >= 10) {
        clearTimeout(timer);
        resolve();
      } else video.requestVideoFrameCallback(step);
    };
    video.requestVideoFrameCallback(step);
    video.muted = true;
    void video.play().catch(() => resolve());
  });
  video.pause();
  video.currentTime = at;
  const steps = times.slice(1).map((t, i) => t - times[i]!).filter((d) => d > 1e-4);
  if (steps.length === 0) return undefined;
  const measured = 1 / Math.min(...steps);
  const near = COMMON_RATES.find((r) => Math.abs(r - measured) / r < 0.02);
  return near ?? Math.round(measured * 100) / 100;
}

/** Resolves once `video` has its current picture (after a seek, it briefly has none). */
function pictureReady(video: HTMLVideoElement): Promise<void> {
  if (video.readyState >= 2 && !video.seeking) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      if (video.readyState < 2 || video.seeking) return;
      video.removeEventListener('seeked', done);
      video.removeEventListener('loadeddata', done);
      video.removeEventListener('canplay', done);
      resolve();
    };
    video.addEventListener('seeked', done);
    video.addEventListener('loadeddata', done);
    video.addEventListener('canplay', done);
  });
}

/** The current picture of `video` as a PNG file. */
async function grabFrame(video: HTMLVideoElement): Promise<Blob> {
  await pictureReady(video);
  const canvas = h('canvas', { attrs: { width: video.videoWidth, height: video.videoHeight } });
  canvas.getContext('2d')?.drawImage(video, 0, 0);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The frame could not be read'))), 'image/png'));
}

/**
 * Build the strip.
 * @param source the source player (the input_video preview), when there is one
 * @param upload sends a file to `POST /api/files` and resolves with its URL
 * @param onChange called after keyframes are added or removed
 */
export function keyframeStrip(source: () => HTMLVideoElement | undefined, upload: (file: File) => Promise<string>, onChange: () => void): KeyframeStrip {
  let keyframes: Keyframe[] = [];
  let fps: number | undefined;
  let fpsOf: HTMLVideoElement | undefined;

  const frameInput = h('input', { attrs: { id: 'kf-frame', type: 'number', min: 0, step: 1, value: 0, 'aria-describedby': 'kf-help' } });
  const status = h('p', { class: 'help', attrs: { id: 'kf-status', 'aria-live': 'polite' } });
  const picker = h('input', { class: 'visually-hidden', attrs: { id: 'kf-file', type: 'file', accept: 'image/*' } });
  const timeline = h('div', { class: 'kf-timeline', attrs: { role: 'img', 'aria-label': 'Keyframes on the source timeline' } });
  const list = h('ul', { class: 'kf-list' });

  const rate = async (video: HTMLVideoElement): Promise<number> => {
    if (fpsOf !== video || fps === undefined) {
      status.textContent = 'Reading the source\'s frame rate…';
      fps = (await measureFrameRate(video)) ?? 30;
      fpsOf = video;
      status.textContent = `Source: ${fps} fps`;
    }
    return fps;
  };

  const render = (): void => {
    const video = source();
    const total = video && fps && Number.isFinite(video.duration) ? Math.max(1, Math.round(video.duration * fps)) : undefined;
    const last = Math.max(1, ...keyframes.map((k) => k.frame));
    timeline.replaceChildren(...keyframes.map((k) => h('span', {
      class: 'kf-marker', attrs: { 'data-frame': k.frame, title: `frame ${k.frame}`, style: `left: ${Math.min(100, (k.frame / (total ?? last)) * 100)}%` },
    })));
    list.replaceChildren(...keyframes.map((k) => {
      const remove = h('button', { class: 'secondary', attrs: { type: 'button', 'aria-label': `Remove the keyframe at frame ${k.frame}` }, text: 'Remove' });
      remove.addEventListener('click', () => {
        keyframes = keyframes.filter((x) => x !== k);
        render();
        onChange();
      });
      return h('li', { attrs: { 'data-keyframe': k.frame } }, h('img', { attrs: { src: k.image, alt: `Keyframe at frame ${k.frame}` } }), h('span', { text: `frame ${k.frame}` }), remove);
    }));
  };

  const pick = h('button', { class: 'secondary', attrs: { type: 'button', id: 'kf-pick' }, text: 'Use the player\'s moment' });
  pick.addEventListener('click', () => {
    const video = source();
    if (!video) {
      status.textContent = 'Give a source video first.';
      return;
    }
    const at = video.currentTime;
    void rate(video).then((r) => {
      frameInput.value = String(Math.floor(at * r + 1e-6));
      render();
    });
  });

  const download = h('button', { class: 'secondary', attrs: { type: 'button', id: 'kf-download' }, text: 'Download this frame' });
  download.addEventListener('click', () => {
    const video = source();
    if (!video) {
      status.textContent = 'Give a source video first.';
      return;
    }
    void grabFrame(video).then((blob) => {
      const a = h('a', { attrs: { href: URL.createObjectURL(blob), download: `frame-${frameInput.value}.png` } });
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    }, (err: unknown) => {
      status.textContent = err instanceof Error ? err.message : String(err);
    });
  });

  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    const frame = Number(frameInput.value);
    if (!file) return;
    if (!Number.isInteger(frame) || frame < 0) {
      status.textContent = 'The frame must be a whole number from 0.';
      return;
    }
    status.textContent = `Uploading ${file.name}…`;
    upload(file).then((url) => {
      keyframes = [...keyframes.filter((k) => k.frame !== frame), { image: url, frame }].sort((a, b) => a.frame - b.frame);
      status.textContent = `Attached ${file.name} at frame ${frame}`;
      render();
      onChange();
    }, (err: unknown) => {
      status.textContent = `Upload failed: ${err instanceof Error ? err.message : String(err)}`;
    }).finally(() => {
      picker.value = '';
    });
  });

  const element = h('section', { class: 'keyframe-strip field', attrs: { 'aria-label': 'Keyframes', 'data-field': 'keyframes' } },
    h('h3', { text: 'Keyframes' }),
    h('p', { class: 'help', attrs: { id: 'kf-help' }, text: 'Pause the source at a moment, download that frame, restyle it in any tool and attach it: each keyframe steers the look from its frame on (not with Input image).' }),
    h('div', { class: 'kf-controls' },
      h('label', { attrs: { for: 'kf-frame' }, text: 'Frame' }), frameInput, pick, download,
      picker, h('label', { class: 'button secondary', attrs: { for: 'kf-file' }, text: 'Attach restyled image' })),
    status, timeline, list,
    h('p', { class: 'field-error', attrs: { 'data-error-for': 'keyframes', 'aria-live': 'polite' } }));

  return {
    element,
    values: () => (keyframes.length > 0 ? { keyframes: keyframes.map((k) => ({ ...k })) } : {}),
    set(next) {
      keyframes = next.map((k) => ({ image: k.image, frame: k.frame }));
      render();
    },
  };
}
