/**
 * The cross-field rules, read from the schema's own `allOf` (`if`/`then`) so the form
 * follows whatever the server validates, plus the one entitlement the schema cannot
 * express: HDR needs a key with HDR access. The answer says, per field, why it is
 * disabled; the form greys it out and shows the reason.
 */
import type { RequestSchema, Values } from './schema.ts';

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** One rule "when `when` is true, …" in a form the page can apply. */
export type Rule =
  | { kind: 'exclusive'; when: string; other: string }
  | { kind: 'needs-enum'; when: string; field: string; allowed: string[] }
  | { kind: 'needs-true'; when: string; field: string };

/** The rules a schema's `allOf` holds, in the three shapes the request schema uses. */
export function rulesOf(schema: RequestSchema): Rule[] {
  const rules: Rule[] = [];
  for (const item of schema.allOf ?? []) {
    const props = obj(obj(obj(item)?.if)?.properties);
    const then = obj(obj(item)?.then);
    if (!props || !then) continue;
    const when = Object.keys(props).find((k) => obj(props[k])?.const === true);
    if (!when) continue;
    const forbidden = obj(then.not)?.required;
    if (Array.isArray(forbidden)) {
      for (const other of forbidden) rules.push({ kind: 'exclusive', when, other: String(other) });
    }
    for (const [field, constraint] of Object.entries(obj(then.properties) ?? {})) {
      const c = obj(constraint);
      if (Array.isArray(c?.enum)) rules.push({ kind: 'needs-enum', when, field, allowed: c.enum.map(String) });
      else if (c?.const === true) rules.push({ kind: 'needs-true', when, field });
    }
  }
  return rules;
}

const label = (schema: RequestSchema, name: string) => schema.properties[name]?.title ?? name;

function isSet(value: string | boolean | undefined): boolean {
  return value !== undefined && value !== false && value !== '';
}

/**
 * Which fields to disable for these values, with the reason shown beside each.
 * A disabled field's value does not count, so rules cascade (no HDR → no EXR).
 * @param hdrAccess whether the key may ask for HDR (undefined: not known yet, allowed)
 */
export function disabledFields(schema: RequestSchema, values: Values, hdrAccess: boolean | undefined): Map<string, string> {
  const disabled = new Map<string, string>();
  const effective = (name: string) => (disabled.has(name) ? undefined : values[name]);
  if (hdrAccess === false && schema.properties.hdr) disabled.set('hdr', 'This API key has no HDR access.');
  // Two passes: a field disabled in the first may switch off a rule in the second.
  for (let pass = 0; pass < 2; pass++) {
    for (const rule of rulesOf(schema)) {
      switch (rule.kind) {
        case 'exclusive':
          if (effective(rule.when) === true) disabled.set(rule.other, `Not with ${label(schema, rule.when)}.`);
          else if (isSet(effective(rule.other))) disabled.set(rule.when, `Not with ${label(schema, rule.other)}.`);
          break;
        case 'needs-enum': {
          const value = effective(rule.field) ?? schema.properties[rule.field]?.default;
          if (!rule.allowed.includes(String(value))) {
            disabled.set(rule.when, `Needs ${label(schema, rule.field)} ${rule.allowed.join(' or ')}.`);
          }
          break;
        }
        case 'needs-true':
          if (effective(rule.field) !== true) disabled.set(rule.when, `Needs ${label(schema, rule.field)}.`);
          break;
      }
    }
  }
  return disabled;
}
