/**
 * The API tab: the current form as cURL, Python, TypeScript and `retake` CLI code, each
 * with a copy button. The code is regenerated on every edit, so it is always the call
 * the Run button would make.
 */
import { h } from './dom.ts';
import { cliSnippet, curlSnippet, pythonSnippet, typescriptSnippet, type SnippetInput } from './snippets.ts';

const KINDS = [
  { id: 'curl', title: 'cURL', make: curlSnippet },
  { id: 'python', title: 'Python (requests)', make: pythonSnippet },
  { id: 'typescript', title: 'TypeScript (retake/client)', make: typescriptSnippet },
  { id: 'cli', title: 'retake CLI', make: cliSnippet },
] as const;

const MODE_NAMES = { sync: 'synchronous', poll: 'asynchronous, polling', sse: 'asynchronous, server-sent events' } as const;

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Plain-http origins other than localhost have no clipboard API.
  const area = h('textarea', { class: 'visually-hidden', attrs: { 'aria-hidden': 'true' } });
  area.value = text;
  document.body.append(area);
  area.select();
  document.execCommand('copy');
  area.remove();
}

/** Render the snippets for `input` into `container`. */
export function renderApiTab(container: HTMLElement, input: SnippetInput): void {
  container.replaceChildren(
    h('p', { class: 'help' },
      `Mode: ${MODE_NAMES[input.mode]}. Set your key first: `,
      h('code', { text: 'export RETAKE_KEY=<your key>' })),
  );
  for (const kind of KINDS) {
    const code = kind.make(input);
    const status = h('span', { class: 'copy-status', attrs: { 'aria-live': 'polite' } });
    const button = h('button', { class: 'secondary', attrs: { type: 'button', 'data-copy': kind.id, 'aria-label': `Copy the ${kind.title} code` }, text: 'Copy' });
    button.addEventListener('click', () => {
      copyText(code).then(() => {
        status.textContent = 'Copied';
      }, () => {
        status.textContent = 'Copy failed; select the text instead';
      });
    });
    container.append(h('section', { class: 'snippet', attrs: { 'aria-label': kind.title } },
      h('div', { class: 'snippet-head' }, h('h3', { text: kind.title }), status, button),
      h('pre', { attrs: { tabindex: 0 } }, h('code', { attrs: { 'data-snippet': kind.id }, text: code }))));
  }
}
