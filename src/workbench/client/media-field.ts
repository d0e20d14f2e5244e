/**
 * The upload-or-URL control for `renderType: video-url | image-url`: a URL box (the
 * value sent), a file picker that uploads to `POST /api/files` and fills the URL in, and
 * a preview (`<video>` or `<img>`) of whatever the URL points at.
 */
import { h } from './dom.ts';

export interface MediaField {
  /** The URL input; its value is the field's value. */
  input: HTMLInputElement;
  element: HTMLElement;
  /** Refresh the preview from the URL box (after a programmatic change). */
  refresh: () => void;
}

/**
 * Build the control.
 * @param upload sends the file and resolves with its URL (errors are shown under the field)
 */
export function mediaField(name: string, kind: 'video' | 'image', upload: (file: File) => Promise<string>, describedBy: string): MediaField {
  const input = h('input', {
    attrs: { id: `f-${name}`, name, type: 'url', inputmode: 'url', placeholder: 'https://… or upload a file', 'aria-describedby': describedBy, autocomplete: 'off' },
  });
  const picker = h('input', {
    class: 'visually-hidden',
    attrs: { id: `f-${name}-file`, type: 'file', accept: kind === 'video' ? 'video/*' : 'image/*', 'aria-describedby': describedBy },
  });
  const pickLabel = h('label', { class: 'button secondary', attrs: { for: `f-${name}-file` }, text: kind === 'video' ? 'Upload video' : 'Upload image' });
  const status = h('span', { class: 'upload-status', attrs: { 'aria-live': 'polite', 'data-upload-status': name } });
  const preview = h('div', { class: `preview preview-${kind}` });

  const refresh = () => {
    preview.replaceChildren();
    const url = input.value.trim();
    if (!/^https?:\/\//i.test(url)) return;
    preview.append(kind === 'video'
      ? h('video', { attrs: { src: url, muted: true, controls: true, playsinline: true, preload: 'metadata', 'aria-label': `Preview of ${name}` } })
      : h('img', { attrs: { src: url, alt: `Preview of ${name}` } }));
  };

  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    if (!file) return;
    status.textContent = `Uploading ${file.name}…`;
    pickLabel.classList.add('busy');
    upload(file).then(
      (url) => {
        input.value = url;
        refresh();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        status.textContent = `Uploaded ${file.name}`;
      },
      (err: unknown) => {
        status.textContent = `Upload failed: ${err instanceof Error ? err.message : String(err)}`;
      },
    ).finally(() => {
      pickLabel.classList.remove('busy');
      picker.value = '';
    });
  });
  input.addEventListener('change', refresh);
  // A URL typed over an upload is no longer that upload.
  input.addEventListener('input', () => {
    status.textContent = '';
  });

  const element = h('div', { class: 'media-field' }, h('div', { class: 'media-row' }, input, picker, pickLabel), status, preview);
  return { input, element, refresh };
}
