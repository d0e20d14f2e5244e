/**
 * The key's generation history (`GET /api/ai/generations`): thumbnail, status, prompt
 * and cost per entry; choosing one loads its parameters back into the form.
 */
import type { Api } from './api.ts';
import { formatUsd, h } from './dom.ts';
import type { Row } from './run.ts';

interface Page {
  generations: Row[];
  total_entries: number;
  total_cost: number;
}

function thumbnail(row: Row): HTMLElement {
  const url = row.result_url ?? (typeof row.input_video === 'string' ? row.input_video : undefined);
  if (!url) return h('div', { class: 'thumb empty' });
  // The first frame of the video itself; preload=metadata keeps the page light.
  return h('video', { class: 'thumb', attrs: { src: `${url}#t=0.1`, muted: true, preload: 'metadata', playsinline: true, 'aria-hidden': 'true', tabindex: -1 } });
}

/**
 * Load the first page of the history into `container`.
 * @param onPick called with the chosen generation
 */
export async function loadHistory(container: HTMLElement, api: Api, onPick: (row: Row) => void): Promise<void> {
  const page = await api.json<Page>('GET', '/api/ai/generations?page=1&page_size=30');
  container.replaceChildren(h('p', { class: 'help' },
    `${page.total_entries} generation${page.total_entries === 1 ? '' : 's'}, ${formatUsd(page.total_cost)} in all. Choose one to load its parameters.`));
  const list = h('ul', { class: 'history' });
  for (const row of page.generations) {
    const when = row.enqueued_at ? new Date(row.enqueued_at).toLocaleString() : '';
    const item = h('button', {
      class: 'history-item',
      attrs: { type: 'button', 'data-generation': row.generation_id, 'aria-label': `Load ${row.status} generation: ${row.prompt}` },
      on: { click: () => onPick(row) },
    },
    thumbnail(row),
    h('span', { class: 'history-text' },
      h('span', { class: 'history-prompt', text: row.prompt }),
      h('span', { class: 'history-meta' },
        h('span', { class: `badge status-${row.status}`, text: row.status }),
        ` ${formatUsd(row.cost)} · ${row.model_name} · ${when}`)));
    list.append(h('li', {}, item));
  }
  container.append(page.generations.length ? list : h('p', { text: 'No generations yet.' }));
}
