/**
 * The request form, generated from a model's `json_request_schema`: fields in `x-order`,
 * `basic` ones first and the rest under "Advanced", defaults, enums as selects, booleans
 * as checkboxes, `description` as help text, media URLs as upload-or-URL fields. It
 * applies the cross-field rules as values change and shows server errors per field.
 */
import type { FieldProblem } from './api.ts';
import { h } from './dom.ts';
import { mediaField } from './media-field.ts';
import { disabledFields } from './rules.ts';
import { splitBasic, type FieldSchema, type RequestSchema, type Values } from './schema.ts';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface SchemaForm {
  element: HTMLElement;
  /** The request fields that are set on enabled controls. */
  values(): Values;
  /** Put values into the form (unknown names are ignored; missing ones reset to defaults). */
  setValues(values: Record<string, unknown>): void;
  /** Show problems beside their fields; returns those that belong to no field. */
  showErrors(problems: FieldProblem[]): FieldProblem[];
  /** Scroll to and focus the first field (in form order) that shows a problem; false when none does. */
  focusFirstError(): boolean;
  clearErrors(): void;
  /** Re-apply the cross-field rules (call when the key's HDR access becomes known). */
  applyRules(hdrAccess: boolean | undefined): void;
}

interface Field {
  name: string;
  schema: FieldSchema;
  control: Control;
  wrapper: HTMLElement;
  reason: HTMLElement;
  error: HTMLElement;
  refresh?: () => void;
}

function buildControl(name: string, schema: FieldSchema, describedBy: string, required: boolean): Control {
  const attrs = { id: `f-${name}`, name, 'aria-describedby': describedBy, required };
  if (schema.enum) {
    const select = h('select', { attrs });
    if (schema.default === undefined) select.append(h('option', { attrs: { value: '' }, text: '(model default)' }));
    for (const option of schema.enum) select.append(h('option', { attrs: { value: option }, text: option }));
    return select;
  }
  if (schema.type === 'boolean') return h('input', { attrs: { ...attrs, type: 'checkbox' } });
  if ((schema.maxLength ?? 0) > 200) {
    return h('textarea', { attrs: { ...attrs, rows: 3, maxlength: schema.maxLength, minlength: schema.minLength } });
  }
  return h('input', { attrs: { ...attrs, type: 'text', maxlength: schema.maxLength } });
}

function resetControl(field: Field, value: unknown): void {
  const { control, schema } = field;
  const v = value ?? schema.default;
  if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = v === true;
  else control.value = typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  field.refresh?.();
}

/**
 * Build the form for one model's schema.
 * @param upload used by media fields to send a file to `POST /api/files`
 * @param onChange called after every edit (values, estimate and API tab follow it)
 */
export function buildSchemaForm(schema: RequestSchema, upload: (file: File) => Promise<string>, onChange: () => void): SchemaForm {
  const fields = new Map<string, Field>();
  let hdrAccess: boolean | undefined;

  const makeField = (name: string): HTMLElement => {
    const fs = schema.properties[name]!;
    const required = schema.required?.includes(name) ?? false;
    const ids = { help: `help-${name}`, why: `why-${name}`, err: `err-${name}` };
    const describedBy = `${ids.help} ${ids.why} ${ids.err}`;
    let control: Control;
    let body: HTMLElement;
    let refresh: (() => void) | undefined;
    if (fs.renderType === 'video-url' || fs.renderType === 'image-url') {
      const media = mediaField(name, fs.renderType === 'video-url' ? 'video' : 'image', upload, describedBy);
      control = media.input;
      control.required = required;
      body = media.element;
      refresh = media.refresh;
    } else {
      control = buildControl(name, fs, describedBy, required);
      body = control;
    }
    const title = `${fs.title ?? name}${required ? ' *' : ''}`;
    const label = h('label', { attrs: { for: control.id }, text: title });
    const reason = h('p', { class: 'reason', attrs: { id: ids.why, hidden: true } });
    const error = h('p', { class: 'field-error', attrs: { id: ids.err, 'aria-live': 'polite', 'data-error-for': name } });
    const help = h('p', { class: 'help', attrs: { id: ids.help }, text: fs.description ?? '' });
    const isBool = control instanceof HTMLInputElement && control.type === 'checkbox';
    const wrapper = isBool
      ? h('div', { class: 'field field-bool', attrs: { 'data-field': name } }, h('div', { class: 'check' }, control, label), help, reason, error)
      : h('div', { class: 'field', attrs: { 'data-field': name } }, label, body, help, reason, error);
    const field: Field = { name, schema: fs, control, wrapper, reason, error };
    if (refresh) field.refresh = refresh;
    fields.set(name, field);
    resetControl(field, undefined);
    return wrapper;
  };

  const { basic, advanced } = splitBasic(schema);
  const element = h('div', { class: 'schema-form' }, ...basic.map(makeField));
  if (advanced.length > 0) {
    element.append(h('details', { class: 'advanced', attrs: { open: true } },
      h('summary', { text: 'Advanced' }), ...advanced.map(makeField)));
  }

  const rawValues = (): Values => {
    const out: Values = {};
    for (const { name, control } of fields.values()) {
      if (control.disabled) continue;
      if (control instanceof HTMLInputElement && control.type === 'checkbox') {
        if (control.checked) out[name] = true;
      } else if (control.value.trim() !== '') {
        out[name] = name === 'prompt' ? control.value : control.value.trim();
      }
    }
    return out;
  };

  const applyRules = () => {
    const all: Values = {};
    for (const { name, control } of fields.values()) {
      all[name] = control instanceof HTMLInputElement && control.type === 'checkbox' ? control.checked : control.value;
    }
    const disabled = disabledFields(schema, all, hdrAccess);
    for (const field of fields.values()) {
      const why = disabled.get(field.name);
      field.control.disabled = why !== undefined;
      // A greyed-out box that stays ticked would read as "on"; the request leaves it out.
      if (why && field.control instanceof HTMLInputElement && field.control.type === 'checkbox') field.control.checked = false;
      field.reason.textContent = why ?? '';
      field.reason.hidden = why === undefined;
      field.wrapper.classList.toggle('disabled', why !== undefined);
    }
  };

  element.addEventListener('input', (event) => {
    const name = (event.target as Control | null)?.name;
    if (name) fields.get(name)?.error.replaceChildren();
    applyRules();
    onChange();
  });
  element.addEventListener('change', () => {
    applyRules();
    onChange();
  });

  return {
    element,
    values: rawValues,
    setValues(values) {
      for (const field of fields.values()) resetControl(field, values[field.name]);
      applyRules();
      onChange();
    },
    showErrors(problems) {
      const unplaced: FieldProblem[] = [];
      for (const problem of problems) {
        const field = fields.get(problem.field);
        if (!field) {
          unplaced.push(problem);
          continue;
        }
        field.error.textContent = problem.message;
      }
      return unplaced;
    },
    focusFirstError() {
      const first = [...fields.values()].find((field) => field.error.textContent);
      if (!first) return false;
      const section = first.wrapper.closest('details');
      if (section) section.open = true;
      first.wrapper.scrollIntoView({ block: 'center' });
      first.control.focus({ preventScroll: true });
      return true;
    },
    clearErrors() {
      for (const field of fields.values()) field.error.replaceChildren();
    },
    applyRules(access) {
      hdrAccess = access;
      applyRules();
    },
  };
}
