/** The Result / API / History tabs, with the arrow-key behaviour of the ARIA tabs pattern. */
import { byId } from './dom.ts';

export interface Tabs {
  select(id: string): void;
  current(): string;
}

/**
 * Wire every `[role=tab]` inside `#<listId>`.
 * @param onSelect called with the tab id (e.g. `tab-api`) after it becomes visible
 */
export function setupTabs(list: HTMLElement, onSelect: (id: string) => void): Tabs {
  const tabs = Array.from(list.querySelectorAll<HTMLButtonElement>('[role=tab]'));
  let current = tabs.find((t) => t.getAttribute('aria-selected') === 'true')?.id ?? tabs[0]?.id ?? '';

  const select = (id: string, focus = false) => {
    for (const tab of tabs) {
      const on = tab.id === id;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1;
      byId(tab.getAttribute('aria-controls') ?? '').hidden = !on;
      if (on && focus) tab.focus();
    }
    current = id;
    onSelect(id);
  };

  for (const [index, tab] of tabs.entries()) {
    tab.addEventListener('click', () => select(tab.id));
    tab.addEventListener('keydown', (event: KeyboardEvent) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      const target = event.key === 'Home' ? tabs[0] : event.key === 'End' ? tabs.at(-1) : step ? tabs[(index + step + tabs.length) % tabs.length] : undefined;
      if (!target) return;
      event.preventDefault();
      select(target.id, true);
    });
  }
  return { select: (id) => select(id), current: () => current };
}
