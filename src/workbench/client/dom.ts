/** Small DOM helpers: build elements declaratively, find required elements by id. */

type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes set with setAttribute (aria-*, for, data-*, role ...). */
  attrs?: Record<string, string | number | boolean | undefined>;
  /** Event listeners by event name. */
  on?: Record<string, (event: Event) => void>;
  text?: string;
}

/** Create an element with attributes, listeners and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [name, listener] of Object.entries(props.on ?? {})) el.addEventListener(name, listener);
  if (props.text !== undefined) el.textContent = props.text;
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/** The element with this id; a missing one is a bug in index.html. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
}

/** Show or hide an element (the `hidden` attribute). */
export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}

/** "$1.08", "free" */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value === 0) return 'free';
  return `$${value.toFixed(2)}`;
}
