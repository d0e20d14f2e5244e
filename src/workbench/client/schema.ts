/** The parts of a model's `json_request_schema` the Workbench reads. */

export interface FieldSchema {
  type?: string;
  enum?: string[];
  default?: unknown;
  title?: string;
  description?: string;
  renderType?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
}

export interface RequestSchema {
  properties: Record<string, FieldSchema>;
  required?: string[];
  basic?: string[];
  'x-order'?: string[];
  allOf?: unknown[];
}

export interface ModelObject {
  id: string;
  display_name: string;
  summary: string;
  description: string;
  pricing?: unknown;
  json_request_schema: RequestSchema;
}

/** Request values as the form holds them (only what is set). */
export type Values = Record<string, string | boolean>;

/** Field names in display order: `x-order` first, then any the order leaves out. `model` is not a field: the page picks it, nor are lists and objects. */
export function orderedFields(schema: RequestSchema): string[] {
  // Lists and objects (keyframes, controls) have widgets of their own, not a form field.
  const names = Object.keys(schema.properties).filter((n) => n !== 'model' && schema.properties[n]?.type !== 'array' && schema.properties[n]?.type !== 'object');
  const order = (schema['x-order'] ?? []).filter((n) => names.includes(n));
  return [...order, ...names.filter((n) => !order.includes(n))];
}

/** Split fields into the basic ones (shown) and the advanced ones (folded away). */
export function splitBasic(schema: RequestSchema): { basic: string[]; advanced: string[] } {
  const all = orderedFields(schema);
  const basic = schema.basic ?? all;
  return { basic: all.filter((n) => basic.includes(n)), advanced: all.filter((n) => !basic.includes(n)) };
}
