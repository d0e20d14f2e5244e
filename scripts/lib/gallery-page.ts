/**
 * The look gallery's HTML page: one figure per style family with its frame, the prompt
 * that produced it and what retake-local understood of that prompt.
 */

export interface GalleryEntry {
  /** The style family, or `source` for the untouched frame. */
  name: string;
  prompt: string;
  /** File name of the frame, beside the page. */
  image: string;
  /** What the engine understood, as recorded on a generation; absent for the source. */
  interpretation?: Record<string, unknown> | undefined;
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function figure(entry: GalleryEntry): string {
  const understood = entry.interpretation ? `<pre>${escape(JSON.stringify(entry.interpretation, null, 1))}</pre>` : '<p>the clip as it comes in</p>';
  return [
    '<figure>',
    `  <img src="${escape(entry.image)}" alt="${escape(entry.name)}" width="480" height="270" loading="lazy">`,
    `  <figcaption><h2>${escape(entry.name.replace('_', ' '))}</h2>`,
    entry.prompt ? `  <p class="prompt">prompt: <code>${escape(entry.prompt)}</code></p>` : '',
    `  ${understood}</figcaption>`,
    '</figure>',
  ].filter(Boolean).join('\n');
}

/** The whole page for `entries`, `clip` naming the sample and its time. */
export function galleryPage(entries: readonly GalleryEntry[], clip: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>retake-local look gallery</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem; background: #111; color: #eee; }
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 1.5rem; }
  figure { margin: 0; background: #1c1c1c; border-radius: 6px; overflow: hidden; }
  img { display: block; width: 100%; height: auto; }
  figcaption { padding: 0.5rem 0.9rem 0.9rem; }
  h2 { margin: 0.2rem 0; font-size: 1.1rem; }
  code, pre { font-family: ui-monospace, monospace; color: #9cdcfe; }
  pre { margin: 0.4rem 0 0; font-size: 12px; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>retake-local look gallery</h1>
<p>Every style family of the built-in engine at the default <code>edit_strength</code> (flex_2), on ${escape(clip)}.
Regenerate with <code>npm run gallery</code>.</p>
<main>
${entries.map(figure).join('\n')}
</main>
</body>
</html>
`;
}
